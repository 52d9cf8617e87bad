//! Interface text in Norwegian bokmål (the default) and English.
//!
//! Every string the user sees is a [`Text`] key, so a missing translation
//! is a compile error, not a blank label. Matching on keys compiles to a
//! small table: no parser, no runtime catalogue to download.

use serde::{Deserialize, Serialize};

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    /// Norwegian bokmål.
    #[default]
    Nb,
    En,
}

impl Lang {
    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch button.
    pub fn other(self) -> Lang {
        match self {
            Lang::Nb => Lang::En,
            Lang::En => Lang::Nb,
        }
    }

    /// The language's name in itself, as the switch shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Nb => "Norsk",
            Lang::En => "English",
        }
    }
}

/// Every piece of interface text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    AppTagline,
    LogIn,
    LogOut,
    Username,
    Password,
    LoggingIn,
    WrongCredentials,
    NetworkError,
    ServerError,
    FillInBoth,
    Hello,
    RoleAdvisor,
    RoleStaff,
    HomeEmpty,
    Offline,
    NotFoundTitle,
    NotFoundBody,
    BackHome,
    SwitchLanguage,
    MainNavigation,
}

/// The text for `key` in `lang`.
pub fn t(lang: Lang, key: Text) -> &'static str {
    use Text::*;
    match (lang, key) {
        (Lang::Nb, AppTagline) => "Oppfølging av praksisplasser – også uten dekning",
        (Lang::En, AppTagline) => "Follow-up of work placements – even without coverage",
        (Lang::Nb, LogIn) => "Logg inn",
        (Lang::En, LogIn) => "Log in",
        (Lang::Nb, LogOut) => "Logg ut",
        (Lang::En, LogOut) => "Log out",
        (Lang::Nb, Username) => "Brukernavn",
        (Lang::En, Username) => "Username",
        (Lang::Nb, Password) => "Passord",
        (Lang::En, Password) => "Password",
        (Lang::Nb, LoggingIn) => "Logger inn …",
        (Lang::En, LoggingIn) => "Logging in …",
        (Lang::Nb, WrongCredentials) => "Feil brukernavn eller passord.",
        (Lang::En, WrongCredentials) => "Wrong username or password.",
        (Lang::Nb, NetworkError) => "Får ikke kontakt med serveren. Sjekk dekningen og prøv igjen.",
        (Lang::En, NetworkError) => "Cannot reach the server. Check your coverage and try again.",
        (Lang::Nb, ServerError) => "Noe gikk galt på serveren. Prøv igjen om litt.",
        (Lang::En, ServerError) => "Something went wrong on the server. Try again shortly.",
        (Lang::Nb, FillInBoth) => "Fyll inn brukernavn og passord.",
        (Lang::En, FillInBoth) => "Enter your username and password.",
        (Lang::Nb, Hello) => "Hei",
        (Lang::En, Hello) => "Hello",
        (Lang::Nb, RoleAdvisor) => "rådgiver",
        (Lang::En, RoleAdvisor) => "advisor",
        (Lang::Nb, RoleStaff) => "kontor",
        (Lang::En, RoleStaff) => "office staff",
        (Lang::Nb, HomeEmpty) => "Ingen besøk eller oppfølginger ennå.",
        (Lang::En, HomeEmpty) => "No visits or follow-ups yet.",
        (Lang::Nb, Offline) => "Frakoblet – endringer lagres på telefonen.",
        (Lang::En, Offline) => "Offline – changes are kept on this phone.",
        (Lang::Nb, NotFoundTitle) => "Fant ikke siden",
        (Lang::En, NotFoundTitle) => "Page not found",
        (Lang::Nb, NotFoundBody) => "Adressen finnes ikke i Innom.",
        (Lang::En, NotFoundBody) => "That address does not exist in Innom.",
        (Lang::Nb, BackHome) => "Til forsiden",
        (Lang::En, BackHome) => "Back to the home page",
        (Lang::Nb, SwitchLanguage) => "Bytt språk",
        (Lang::En, SwitchLanguage) => "Change language",
        (Lang::Nb, MainNavigation) => "Hovedmeny",
        (Lang::En, MainNavigation) => "Main menu",
    }
}
