//! The mentor's app's own words, bokmål and English: kept apart from the
//! phone's [`crate::i18n::Text`] so that none of it is carried in the
//! phone's download (and none of the advisor's in the mentor's).

use crate::i18n::Lang;
use crate::state::AppContext;

/// Every piece of text only the mentor's app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentorText {
    NewFeedback,
    Correct,
    YourFeedback,
    TasksMastered,
    YourName,
    At,
    LinkNotWorking,
    KeptOnPhone,
    NoLink,
    LinkOffline,
    ThankYouReached,
    ThankYouOnPhone,
    TheAdvisor,
    WriteNewFeedback,
}

/// `key` in the app's language.
pub fn mt(app: &AppContext, key: MentorText) -> &'static str {
    use MentorText::*;
    let (nb, en) = match key {
        NewFeedback => ("Ny tilbakemelding", "New feedback"),
        Correct => ("Rett tilbakemeldingen", "Correct the feedback"),
        YourFeedback => ("Dine tilbakemeldinger", "Your feedback"),
        TasksMastered => ("Oppgaver mestret i denne fasen", "Tasks mastered this phase"),
        YourName => ("Ditt navn", "Your name"),
        At => ("hos", "at"),
        LinkNotWorking => (
            "Denne lenken virker ikke lenger – kontakt veilederen din.",
            "This link no longer works – contact your advisor.",
        ),
        KeptOnPhone => (
            "Det du har skrevet, er fortsatt lagret på telefonen.",
            "What you have written is still kept on this phone.",
        ),
        NoLink => ("Åpne lenken du fikk fra veilederen.", "Open the link your advisor gave you."),
        LinkOffline => (
            "Ingen dekning. Åpne lenken igjen når du har dekning.",
            "No coverage. Open the link again when you have coverage.",
        ),
        ThankYouReached => {
            ("Takk! {advisor} har fått tilbakemeldingen din.", "Thank you! {advisor} has received your feedback.")
        }
        ThankYouOnPhone => (
            "Takk! Tilbakemeldingen er lagret på telefonen og sendes til {advisor} når du har dekning.",
            "Thank you! Your feedback is saved on this phone and will reach {advisor} when you have coverage.",
        ),
        TheAdvisor => ("veilederen", "the advisor"),
        WriteNewFeedback => ("Skriv en ny tilbakemelding", "Write new feedback"),
    };
    match app.lang {
        Lang::Nb => nb,
        Lang::En => en,
    }
}
