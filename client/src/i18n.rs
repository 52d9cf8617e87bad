//! Interface text in Norwegian bokmål (the default) and English.
//!
//! Every string the user sees is a [`Text`] key, so a missing translation
//! is a compile error, not a blank label. Matching on keys compiles to a
//! small table: no parser, no runtime catalogue to download.

use serde::{Deserialize, Serialize};

use innom_shared::validation::{ValidationErrors, words};

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
    PrivacyHeading,
    ExportParticipant,
    EraseParticipant,
    ConfirmErase,
    PrivacyNeedsNetwork,
    RoleStaff,
    SessionEnded,
    DeviceWiped,
    SessionActive,
    SessionExpired,
    SessionRevoked,
    SessionWiped,
    HomeEmpty,
    ShowAllVisits,
    Offline,
    NotFoundTitle,
    NotFoundBody,
    BackHome,
    SwitchLanguage,
    MainNavigation,
    WorkplacesHeading,
    SearchByName,
    Industry,
    OrgNumberLabel,
    AddressLabel,
    HiringOutlook,
    PeakMonths,
    Needs,
    Requirements,
    SafetyRoutines,
    Contacts,
    EndPlacement,
    PlacementEnded,
    Outcome,
    OutcomeHired,
    OutcomeEducation,
    OutcomeOtherPlacement,
    OutcomeNoJob,
    OutcomeEndedEarly,
    EndDate,
    EndReason,
    ChooseOutcome,
    ChooseEndDate,
    ReasonNeeded,
    CouldNotSave,
    NeedsVisitHeading,
    EndingSoonHeading,
    LastVisited,
    NeverVisited,
    Ends,
    Office,
    OfficeAsks,
    AnswerOffice,
    SendAnswer,
    SyncNow,
    Syncing,
    LastSynced,
    NeverSynced,
    Unconfirmed,
    SyncOffline,
    SyncLoggedOut,
    SyncFailed,
    StateLocal,
    StateSent,
    StateConfirmed,
    StateRejected,
    NewVisit,
    Visits,
    Workplace,
    VisitTypeLabel,
    DropIn,
    FollowUpMeeting,
    ContractMeeting,
    MappingVisit,
    JobInterview,
    Summary,
    StatusLabel,
    Green,
    Yellow,
    Red,
    DurationMinutes,
    Save,
    Saving,
    NoWorkplaces,
    ConfirmLogoutUnsynced,
    StorageFailed,
    RecordGone,
    InvalidForm,
    Cancel,
    Loading,
    FeedbackTitle,
    Attendance,
    Punctuality,
    Initiative,
    NorwegianCommunication,
    ScoreNeedsWork,
    ScoreOk,
    ScoreGood,
    ReadyNextPhase,
    ReadyYes,
    ReadyNotYet,
    ReadyUnsure,
    GoingWell,
    NeedsAttention,
    ContactMe,
    Phase,
    SavedOnPhone,
    AttentionHeading,
    FlagContactMe,
    FlagRed,
    FlagNotReady,
    PlacementsHeading,
    MentorLinksHeading,
    MakeMentorLink,
    LinkNeedsNetwork,
    SendSms,
    SendEmail,
    Revoke,
    LinkActive,
    LinkExpired,
    LinkRevoked,
    ExpiresOn,
    MentorLabel,
    NoPlacement,
    LinkLabel,
    QrLabel,
    TooManyAttempts,
    MetLabel,
    PlacementsConcerned,
    ConcernsLabel,
    ConcernAttendance,
    ConcernPunctuality,
    ConcernLanguage,
    ConcernCulture,
    ConcernSafety,
    ConcernExpectations,
    ConcernWorkload,
    ConcernHealth,
    ConcernOther,
    FollowUpLabel,
    FollowUpDue,
    AddFollowUp,
    JobSignalLabel,
    JobNone,
    JobPossible,
    JobStrong,
    Overdue,
    NoFollowUps,
    TrainingPlan,
    CurrentPhase,
    PhaseTitle,
    NoTasks,
    OrgNumberValid,
    OrgNumberHint,
    OrgNumberNotNine,
    OrgNumberBadCheck,
    Contact,
    ContactName,
    ContactRole,
    ContactPhone,
    ContactEmail,
    RemoveContact,
    AddContact,
    NewWorkplace,
    EditWorkplace,
    WorkplaceName,
    ParticipantsHeading,
    NewPlacement,
    NameNeeded,
    ParticipantAdded,
    NewParticipant,
    ParticipantName,
    Programme,
    Goal,
    LanguageLevel,
    AddParticipant,
    NeedParticipantAndWorkplace,
    DatesNeeded,
    Participant,
    MentorName,
    MentorPhone,
    StartDate,
    PlannedEnd,
    NoTemplate,
    UseTemplate,
    TasksCount,
    EditButton,
    SummaryConflict,
    MentorAndDates,
    AgreedMeetings,
    FollowUpMeetingTitle,
    MeetingPlanned,
    MeetingHeld,
    ContractSigned,
    JobProspectLabel,
    EditVisit,
    NotAssessed,
    WhenLabel,
    NoPlacementChosen,
    ChooseWorkplace,
    MissingWorkplace,
    MissingPlacement,
    MissingSummaryOrStatus,
    MissingWhen,
    FormNotSaved,
    MissingWorkplaceName,
    RecordsHeading,
    NoRecordsYet,
    AnswerIsEmpty,
    TodayHeading,
    NothingDueToday,
    LaterFollowUps,
    FirstMeetingDue,
    SecondMeetingDue,
    PlannedFor,
    HomeLink,
}

/// The label of a visit type.
pub fn visit_type(kind: innom_shared::records::VisitType) -> Text {
    use innom_shared::records::VisitType as V;
    match kind {
        V::DropIn => Text::DropIn,
        V::FollowUpMeeting => Text::FollowUpMeeting,
        V::ContractMeeting => Text::ContractMeeting,
        V::MappingVisit => Text::MappingVisit,
        V::JobInterview => Text::JobInterview,
    }
}

/// The label of a concern tag.
pub fn concern(tag: innom_shared::records::ConcernTag) -> Text {
    use innom_shared::records::ConcernTag as C;
    match tag {
        C::Attendance => Text::ConcernAttendance,
        C::Punctuality => Text::ConcernPunctuality,
        C::Language => Text::ConcernLanguage,
        C::CulturalMisunderstanding => Text::ConcernCulture,
        C::Safety => Text::ConcernSafety,
        C::EmployerExpectations => Text::ConcernExpectations,
        C::Workload => Text::ConcernWorkload,
        C::Health => Text::ConcernHealth,
        C::Other => Text::ConcernOther,
    }
}

/// The label of a job-opportunity signal.
pub fn job_signal(signal: innom_shared::records::JobSignal) -> Text {
    use innom_shared::records::JobSignal as J;
    match signal {
        J::None => Text::JobNone,
        J::Possible => Text::JobPossible,
        J::Strong => Text::JobStrong,
    }
}

/// The label of a traffic-light status.
pub fn status(status: innom_shared::records::Status) -> Text {
    use innom_shared::records::Status as S;
    match status {
        S::Green => Text::Green,
        S::Yellow => Text::Yellow,
        S::Red => Text::Red,
        S::NotAssessed => Text::NotAssessed,
    }
}

/// The label of a step on a mentor's tap scale.
pub fn score(score: innom_shared::records::Score) -> Text {
    use innom_shared::records::Score as S;
    match score {
        S::NeedsWork => Text::ScoreNeedsWork,
        S::Ok => Text::ScoreOk,
        S::Good => Text::ScoreGood,
        S::NotAssessed => Text::NotAssessed,
    }
}

/// The label of a readiness answer.
pub fn readiness(readiness: innom_shared::records::Readiness) -> Text {
    use innom_shared::records::Readiness as R;
    match readiness {
        R::Yes => Text::ReadyYes,
        R::NotYet => Text::ReadyNotYet,
        R::Unsure => Text::ReadyUnsure,
        R::NotAssessed => Text::NotAssessed,
    }
}

/// A moment on the phone's calendar and clock: year, month (1–12), day,
/// hour, minute.
pub fn local_time(at: innom_shared::values::Timestamp) -> (u32, u32, u32, u32, u32) {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.0 as f64));
    (date.get_full_year(), date.get_month() + 1, date.get_date(), date.get_hours(), date.get_minutes())
}

/// A time as Norwegians write it, in the phone's time zone:
/// `25.11.2026 14:05`.
pub fn date_time(at: innom_shared::values::Timestamp) -> String {
    let (year, month, day, hour, minute) = local_time(at);
    format!("{day:02}.{month:02}.{year} {hour:02}:{minute:02}")
}

/// A day as Norwegians write it, in the phone's time zone: `25.11.2026`.
pub fn date(at: innom_shared::values::Timestamp) -> String {
    let (year, month, day, ..) = local_time(at);
    format!("{day:02}.{month:02}.{year}")
}

/// The label of a mentor link's state.
pub fn link_state(state: innom_shared::api::MentorLinkState) -> Text {
    use innom_shared::api::MentorLinkState as L;
    match state {
        L::Active => Text::LinkActive,
        L::Expired => Text::LinkExpired,
        L::Revoked => Text::LinkRevoked,
    }
}

/// The label of a device session's state.
pub fn session_state(state: innom_shared::api::DeviceSessionState) -> Text {
    use innom_shared::api::DeviceSessionState as S;
    match state {
        S::Active => Text::SessionActive,
        S::Expired => Text::SessionExpired,
        S::Revoked => Text::SessionRevoked,
        S::Wiped => Text::SessionWiped,
    }
}

/// The subject of the e-mail that carries a mentor link.
pub const MENTOR_INVITATION_SUBJECT: &str = "Tilbakemelding om praksis";

/// The prepared text that carries a mentor link by SMS or e-mail. Always
/// in Norwegian: it goes to the workplace, whatever the advisor reads.
pub fn mentor_invitation(mentor: &str, first_name: &str, workplace: &str, url: &str) -> String {
    format!(
        "Hei {mentor}! Her er lenken for å gi en kort tilbakemelding om {first_name} i praksis hos {workplace}. \
         Det tar omtrent ett minutt, og virker også uten dekning når lenken er åpnet én gang: {url}"
    )
}

/// The label of a stored code (status, industry, visit type, review
/// state, …); the code itself if it is not known.
pub fn code(lang: Lang, code: &str) -> String {
    match innom_shared::labels::code(code) {
        Some((nb, en)) => (if lang == Lang::Nb { nb } else { en }).to_owned(),
        None => code.to_owned(),
    }
}

/// Lowercase for search: ASCII and the Norwegian letters, by hand, since
/// `str::to_lowercase` brings Unicode's case tables into the download.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'Æ' => 'æ',
            'Ø' => 'ø',
            'Å' => 'å',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// A month's name (1 is January).
pub fn month(lang: Lang, month: u8) -> &'static str {
    const NB: [&str; 12] = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = if lang == Lang::Nb { &NB } else { &EN };
    names.get(usize::from(month.saturating_sub(1))).copied().unwrap_or("?")
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
        (Lang::Nb, ShowAllVisits) => "Vis alle besøk",
        (Lang::En, ShowAllVisits) => "Show all visits",
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
        (Lang::Nb, WorkplacesHeading) => "Arbeidssteder",
        (Lang::En, WorkplacesHeading) => "Workplaces",
        (Lang::Nb, SearchByName) => "Søk på navn",
        (Lang::En, SearchByName) => "Search by name",
        (Lang::Nb, Industry) => "Bransje",
        (Lang::En, Industry) => "Industry",
        (Lang::Nb, OrgNumberLabel) => "Organisasjonsnummer",
        (Lang::En, OrgNumberLabel) => "Organisation number",
        (Lang::Nb, AddressLabel) => "Adresse",
        (Lang::En, AddressLabel) => "Address",
        (Lang::Nb, HiringOutlook) => "Ansettelsesutsikter",
        (Lang::En, HiringOutlook) => "Hiring outlook",
        (Lang::Nb, PeakMonths) => "Travle måneder",
        (Lang::En, PeakMonths) => "Busy months",
        (Lang::Nb, Needs) => "Behov",
        (Lang::En, Needs) => "Needs",
        (Lang::Nb, Requirements) => "Krav",
        (Lang::En, Requirements) => "Requirements",
        (Lang::Nb, SafetyRoutines) => "Sikkerhetsrutiner",
        (Lang::En, SafetyRoutines) => "Safety routines",
        (Lang::Nb, Contacts) => "Kontaktpersoner",
        (Lang::En, Contacts) => "Contacts",
        (Lang::Nb, EndPlacement) => "Avslutt praksisen",
        (Lang::En, EndPlacement) => "End the placement",
        (Lang::Nb, PlacementEnded) => "Praksisen er avsluttet",
        (Lang::En, PlacementEnded) => "The placement has ended",
        (Lang::Nb, Outcome) => "Utfall",
        (Lang::En, Outcome) => "Outcome",
        (Lang::Nb, OutcomeHired) => "Fikk jobb",
        (Lang::En, OutcomeHired) => "Hired",
        (Lang::Nb, OutcomeEducation) => "Begynte på utdanning",
        (Lang::En, OutcomeEducation) => "Went on to education",
        (Lang::Nb, OutcomeOtherPlacement) => "Ny praksisplass",
        (Lang::En, OutcomeOtherPlacement) => "Another placement",
        (Lang::Nb, OutcomeNoJob) => "Fullført uten jobb",
        (Lang::En, OutcomeNoJob) => "Completed, no job",
        (Lang::Nb, OutcomeEndedEarly) => "Avsluttet tidlig",
        (Lang::En, OutcomeEndedEarly) => "Ended early",
        (Lang::Nb, EndDate) => "Sluttdato",
        (Lang::En, EndDate) => "End date",
        (Lang::Nb, EndReason) => "Begrunnelse (kreves ved tidlig avslutning)",
        (Lang::En, EndReason) => "Reason (required when ended early)",
        (Lang::Nb, ChooseOutcome) => "Velg et utfall.",
        (Lang::En, ChooseOutcome) => "Choose an outcome.",
        (Lang::Nb, ChooseEndDate) => "Velg en sluttdato.",
        (Lang::En, ChooseEndDate) => "Choose an end date.",
        (Lang::Nb, ReasonNeeded) => "Skriv en begrunnelse når praksisen avsluttes tidlig.",
        (Lang::En, ReasonNeeded) => "Give a reason when the placement ends early.",
        (Lang::Nb, CouldNotSave) => "Kunne ikke lagre. Sjekk datoen: den kan ikke være før start.",
        (Lang::En, CouldNotSave) => "Could not save. Check the date: it cannot be before the start.",
        (Lang::Nb, NeedsVisitHeading) => "Trenger besøk (ikke besøkt på 14 dager)",
        (Lang::En, NeedsVisitHeading) => "Need a visit (none in 14 days)",
        (Lang::Nb, EndingSoonHeading) => "Slutter innen 14 dager",
        (Lang::En, EndingSoonHeading) => "Ending within 14 days",
        (Lang::Nb, LastVisited) => "sist besøkt",
        (Lang::En, LastVisited) => "last visited",
        (Lang::Nb, NeverVisited) => "aldri besøkt",
        (Lang::En, NeverVisited) => "never visited",
        (Lang::Nb, Ends) => "slutter",
        (Lang::En, Ends) => "ends",
        (Lang::Nb, Office) => "Kontor",
        (Lang::En, Office) => "Office",
        (Lang::Nb, OfficeAsks) => "Kontoret ber om mer informasjon",
        (Lang::En, OfficeAsks) => "The office asks for more information",
        (Lang::Nb, AnswerOffice) => "Svar til kontoret",
        (Lang::En, AnswerOffice) => "Answer to the office",
        (Lang::Nb, SendAnswer) => "Send svar",
        (Lang::En, SendAnswer) => "Send the answer",
        (Lang::Nb, SyncNow) => "Synkroniser nå",
        (Lang::En, SyncNow) => "Sync now",
        (Lang::Nb, Syncing) => "Synkroniserer …",
        (Lang::En, Syncing) => "Syncing …",
        (Lang::Nb, LastSynced) => "Sist synkronisert",
        (Lang::En, LastSynced) => "Last synced",
        (Lang::Nb, NeverSynced) => "Ikke synkronisert ennå",
        (Lang::En, NeverSynced) => "Not synced yet",
        (Lang::Nb, Unconfirmed) => "Ikke bekreftet av serveren",
        (Lang::En, Unconfirmed) => "Not confirmed by the server",
        (Lang::Nb, SyncOffline) => "Ingen dekning – prøver igjen senere.",
        (Lang::En, SyncOffline) => "No coverage – will try again later.",
        (Lang::Nb, SyncLoggedOut) => "Økten er utløpt. Logg inn igjen for å synkronisere; ingenting går tapt.",
        (Lang::En, SyncLoggedOut) => "Your session has expired. Log in again to sync; nothing is lost.",
        (Lang::Nb, SyncFailed) => "Synkroniseringen feilet",
        (Lang::En, SyncFailed) => "Sync failed",
        (Lang::Nb, StateLocal) => "Bare på telefonen",
        (Lang::En, StateLocal) => "Only on this phone",
        (Lang::Nb, StateSent) => "Sendt",
        (Lang::En, StateSent) => "Sent",
        (Lang::Nb, StateConfirmed) => "Bekreftet",
        (Lang::En, StateConfirmed) => "Confirmed",
        (Lang::Nb, StateRejected) => "Avvist av serveren",
        (Lang::En, StateRejected) => "Rejected by the server",
        (Lang::Nb, NewVisit) => "Nytt besøk",
        (Lang::En, NewVisit) => "New visit",
        (Lang::Nb, Visits) => "Besøk",
        (Lang::En, Visits) => "Visits",
        (Lang::Nb, Workplace) => "Arbeidsplass",
        (Lang::En, Workplace) => "Workplace",
        (Lang::Nb, VisitTypeLabel) => "Type besøk",
        (Lang::En, VisitTypeLabel) => "Type of visit",
        (Lang::Nb, DropIn) => "Stikke innom",
        (Lang::En, DropIn) => "Drop-in",
        (Lang::Nb, FollowUpMeeting) => "Oppfølgingsmøte",
        (Lang::En, FollowUpMeeting) => "Follow-up meeting",
        (Lang::Nb, ContractMeeting) => "Kontraktsmøte",
        (Lang::En, ContractMeeting) => "Contract meeting",
        (Lang::Nb, MappingVisit) => "Kartleggingsbesøk",
        (Lang::En, MappingVisit) => "Mapping visit",
        (Lang::Nb, JobInterview) => "Jobbintervju",
        (Lang::En, JobInterview) => "Job interview",
        (Lang::Nb, Summary) => "Oppsummering",
        (Lang::En, Summary) => "Summary",
        (Lang::Nb, StatusLabel) => "Status",
        (Lang::En, StatusLabel) => "Status",
        (Lang::Nb, Green) => "Grønn",
        (Lang::En, Green) => "Green",
        (Lang::Nb, Yellow) => "Gul",
        (Lang::En, Yellow) => "Yellow",
        (Lang::Nb, Red) => "Rød",
        (Lang::En, Red) => "Red",
        (Lang::Nb, DurationMinutes) => "Varighet (minutter)",
        (Lang::En, DurationMinutes) => "Duration (minutes)",
        (Lang::Nb, Save) => "Lagre",
        (Lang::En, Save) => "Save",
        (Lang::Nb, Saving) => "Lagrer …",
        (Lang::En, Saving) => "Saving …",
        (Lang::Nb, NoWorkplaces) => "Ingen arbeidsplasser på telefonen ennå. Synkroniser med dekning først.",
        (Lang::En, NoWorkplaces) => "No workplaces on this phone yet. Sync with coverage first.",
        (Lang::Nb, ConfirmLogoutUnsynced) => {
            "Noe er ikke bekreftet av serveren ennå og går tapt hvis du logger ut. Logge ut likevel?"
        }
        (Lang::En, ConfirmLogoutUnsynced) => {
            "Some records are not confirmed by the server yet and will be lost if you log out. Log out anyway?"
        }
        (Lang::Nb, StorageFailed) => "Kunne ikke lagre på telefonen.",
        (Lang::En, StorageFailed) => "Could not save on this phone.",
        (Lang::Nb, RecordGone) => "Dette er ikke lenger på telefonen, og endringen ble ikke lagret.",
        (Lang::En, RecordGone) => "This is no longer on the phone; the change was not saved.",
        (Lang::Nb, InvalidForm) => "Sjekk feltene:",
        (Lang::En, InvalidForm) => "Check the fields:",
        (Lang::Nb, Cancel) => "Avbryt",
        (Lang::En, Cancel) => "Cancel",
        (Lang::Nb, Loading) => "Laster …",
        (Lang::En, Loading) => "Loading …",
        (Lang::Nb, FeedbackTitle) => "Tilbakemelding fra fadder",
        (Lang::En, FeedbackTitle) => "Feedback from the mentor",
        (Lang::Nb, Attendance) => "Oppmøte",
        (Lang::En, Attendance) => "Attendance",
        (Lang::Nb, Punctuality) => "Punktlighet",
        (Lang::En, Punctuality) => "Punctuality",
        (Lang::Nb, Initiative) => "Initiativ",
        (Lang::En, Initiative) => "Initiative",
        (Lang::Nb, NorwegianCommunication) => "Norsk i samtale",
        (Lang::En, NorwegianCommunication) => "Norwegian communication",
        (Lang::Nb, ScoreNeedsWork) => "Må øve mer",
        (Lang::En, ScoreNeedsWork) => "Needs practice",
        (Lang::Nb, ScoreOk) => "OK",
        (Lang::En, ScoreOk) => "OK",
        (Lang::Nb, ScoreGood) => "Bra",
        (Lang::En, ScoreGood) => "Good",
        (Lang::Nb, ReadyNextPhase) => "Klar for neste fase?",
        (Lang::En, ReadyNextPhase) => "Ready for the next phase?",
        (Lang::Nb, ReadyYes) => "Ja",
        (Lang::En, ReadyYes) => "Yes",
        (Lang::Nb, ReadyNotYet) => "Ikke ennå",
        (Lang::En, ReadyNotYet) => "Not yet",
        (Lang::Nb, ReadyUnsure) => "Usikker",
        (Lang::En, ReadyUnsure) => "Unsure",
        (Lang::Nb, GoingWell) => "Dette går bra",
        (Lang::En, GoingWell) => "What goes well",
        (Lang::Nb, NeedsAttention) => "Dette trenger oppmerksomhet",
        (Lang::En, NeedsAttention) => "What needs attention",
        (Lang::Nb, ContactMe) => "Kontakt meg",
        (Lang::En, ContactMe) => "Please contact me",
        (Lang::Nb, Phase) => "fase",
        (Lang::En, Phase) => "phase",
        (Lang::Nb, SavedOnPhone) => "Lagret på telefonen. Sendes når du har dekning.",
        (Lang::En, SavedOnPhone) => "Saved on this phone. Sent when you have coverage.",
        (Lang::Nb, AttentionHeading) => "Trenger oppmerksomhet",
        (Lang::En, AttentionHeading) => "Needs attention",
        (Lang::Nb, FlagContactMe) => "Fadder ber om kontakt",
        (Lang::En, FlagContactMe) => "The mentor asks to be contacted",
        (Lang::Nb, FlagRed) => "Rød status fra fadder",
        (Lang::En, FlagRed) => "Red status from the mentor",
        (Lang::Nb, FlagNotReady) => "Ikke klar for neste fase",
        (Lang::En, FlagNotReady) => "Not ready for the next phase",
        (Lang::Nb, PlacementsHeading) => "Praksisplasser",
        (Lang::En, PlacementsHeading) => "Placements",
        (Lang::Nb, MentorLinksHeading) => "Lenker til fadder",
        (Lang::En, MentorLinksHeading) => "Links for the mentor",
        (Lang::Nb, MakeMentorLink) => "Lag lenke til fadder",
        (Lang::En, MakeMentorLink) => "Make a link for the mentor",
        (Lang::Nb, LinkNeedsNetwork) => "Lenker til fadder krever dekning.",
        (Lang::En, LinkNeedsNetwork) => "Links for the mentor need coverage.",
        (Lang::Nb, SendSms) => "Send på SMS",
        (Lang::En, SendSms) => "Send by SMS",
        (Lang::Nb, SendEmail) => "Send på e-post",
        (Lang::En, SendEmail) => "Send by e-mail",
        (Lang::Nb, Revoke) => "Trekk tilbake",
        (Lang::En, Revoke) => "Revoke",
        (Lang::Nb, LinkActive) => "Aktiv",
        (Lang::En, LinkActive) => "Active",
        (Lang::Nb, LinkExpired) => "Utløpt",
        (Lang::En, LinkExpired) => "Expired",
        (Lang::Nb, LinkRevoked) => "Trukket tilbake",
        (Lang::En, LinkRevoked) => "Revoked",
        (Lang::Nb, ExpiresOn) => "Virker til",
        (Lang::En, ExpiresOn) => "Works until",
        (Lang::Nb, MentorLabel) => "Fadder",
        (Lang::En, MentorLabel) => "Mentor",
        (Lang::Nb, NoPlacement) => "Fant ikke praksisplassen på telefonen.",
        (Lang::En, NoPlacement) => "This placement is not on the phone.",
        (Lang::Nb, LinkLabel) => "Lenke",
        (Lang::En, LinkLabel) => "Link",
        (Lang::Nb, QrLabel) => "QR-kode med lenken til fadderen",
        (Lang::Nb, TooManyAttempts) => "For mange mislykkede forsøk. Vent litt og prøv igjen.",
        (Lang::En, TooManyAttempts) => "Too many failed attempts. Wait a little and try again.",
        (Lang::En, QrLabel) => "QR code with the mentor's link",
        (Lang::Nb, SessionEnded) => {
            "Økten din er avsluttet. Logg inn igjen – det som er lagret på telefonen, er tatt vare på."
        }
        (Lang::En, SessionEnded) => "Your session has ended. Log in again – what is saved on the phone has been kept.",
        (Lang::Nb, DeviceWiped) => "Denne enheten er logget ut av en administrator, og dataene på den er slettet.",
        (Lang::En, DeviceWiped) => "This device was signed out by an administrator, and its data has been deleted.",
        (Lang::Nb, PrivacyHeading) => "Personvern",
        (Lang::En, PrivacyHeading) => "Privacy",
        (Lang::Nb, ExportParticipant) => "Last ned alt om deltakeren (JSON)",
        (Lang::En, ExportParticipant) => "Download everything about the participant (JSON)",
        (Lang::Nb, EraseParticipant) => "Slett alle data om deltakeren",
        (Lang::En, EraseParticipant) => "Erase all data about the participant",
        (Lang::Nb, ConfirmErase) => {
            "Slette deltakeren for godt? Praksisplassene, besøkene og tilbakemeldingene om henne eller ham slettes også, på serveren og på alle telefoner. Dette kan ikke angres."
        }
        (Lang::En, ConfirmErase) => {
            "Erase the participant for good? Their placements, visits and feedback are erased too, on the server and on every phone. This cannot be undone."
        }
        (Lang::Nb, PrivacyNeedsNetwork) => "Dette krever nett.",
        (Lang::En, PrivacyNeedsNetwork) => "This needs a network connection.",
        (Lang::Nb, SessionActive) => "I bruk",
        (Lang::En, SessionActive) => "In use",
        (Lang::Nb, SessionExpired) => "Utløpt",
        (Lang::En, SessionExpired) => "Expired",
        (Lang::Nb, SessionRevoked) => "Logget ut",
        (Lang::En, SessionRevoked) => "Signed out",
        (Lang::Nb, SessionWiped) => "Logget ut, data slettes",
        (Lang::En, SessionWiped) => "Signed out, data deleted",
        (Lang::Nb, MetLabel) => "Hvem møtte du?",
        (Lang::En, MetLabel) => "Who did you meet?",
        (Lang::Nb, PlacementsConcerned) => "Praksisplasser det gjelder",
        (Lang::En, PlacementsConcerned) => "Placements concerned",
        (Lang::Nb, ConcernsLabel) => "Bekymringer",
        (Lang::En, ConcernsLabel) => "Concerns",
        (Lang::Nb, ConcernAttendance) => "Oppmøte",
        (Lang::En, ConcernAttendance) => "Attendance",
        (Lang::Nb, ConcernPunctuality) => "Punktlighet",
        (Lang::En, ConcernPunctuality) => "Punctuality",
        (Lang::Nb, ConcernLanguage) => "Språk",
        (Lang::En, ConcernLanguage) => "Language",
        (Lang::Nb, ConcernCulture) => "Kulturelle misforståelser",
        (Lang::En, ConcernCulture) => "Cultural misunderstandings",
        (Lang::Nb, ConcernSafety) => "Sikkerhet",
        (Lang::En, ConcernSafety) => "Safety",
        (Lang::Nb, ConcernExpectations) => "Arbeidsgivers forventninger",
        (Lang::En, ConcernExpectations) => "Employer's expectations",
        (Lang::Nb, ConcernWorkload) => "Arbeidsmengde",
        (Lang::En, ConcernWorkload) => "Workload",
        (Lang::Nb, ConcernHealth) => "Helse",
        (Lang::En, ConcernHealth) => "Health",
        (Lang::Nb, ConcernOther) => "Annet",
        (Lang::En, ConcernOther) => "Other",
        (Lang::Nb, FollowUpLabel) => "Oppfølging",
        (Lang::En, FollowUpLabel) => "Follow-up",
        (Lang::Nb, FollowUpDue) => "Frist",
        (Lang::En, FollowUpDue) => "Due",
        (Lang::Nb, AddFollowUp) => "Legg til oppfølging",
        (Lang::En, AddFollowUp) => "Add a follow-up",
        (Lang::Nb, JobSignalLabel) => "Jobbmulighet",
        (Lang::En, JobSignalLabel) => "Job opportunity",
        (Lang::Nb, JobNone) => "Ingen",
        (Lang::En, JobNone) => "None",
        (Lang::Nb, JobPossible) => "Mulig",
        (Lang::En, JobPossible) => "Possible",
        (Lang::Nb, JobStrong) => "Sterk",
        (Lang::En, JobStrong) => "Strong",
        (Lang::Nb, Overdue) => "Forfalt",
        (Lang::En, Overdue) => "Overdue",
        (Lang::Nb, NoFollowUps) => "Ingen åpne oppfølginger.",
        (Lang::En, NoFollowUps) => "No open follow-ups.",
        (Lang::Nb, TrainingPlan) => "Opplæringsplan",
        (Lang::En, TrainingPlan) => "Training plan",
        (Lang::Nb, CurrentPhase) => "Nåværende fase",
        (Lang::En, CurrentPhase) => "Current phase",
        (Lang::Nb, PhaseTitle) => "Fase",
        (Lang::En, PhaseTitle) => "Phase",
        (Lang::Nb, NoTasks) => "Ingen oppgaver i denne fasen.",
        (Lang::En, NoTasks) => "No tasks in this phase.",
        (Lang::Nb, OrgNumberValid) => "Gyldig organisasjonsnummer.",
        (Lang::En, OrgNumberValid) => "Valid organisation number.",
        (Lang::Nb, OrgNumberHint) => "Ni siffer, som 923 609 016.",
        (Lang::En, OrgNumberHint) => "Nine digits, such as 923 609 016.",
        (Lang::Nb, OrgNumberNotNine) => "Et organisasjonsnummer har ni siffer.",
        (Lang::En, OrgNumberNotNine) => "An organisation number has nine digits.",
        (Lang::Nb, OrgNumberBadCheck) => "Kontrollsifferet stemmer ikke. Sjekk nummeret for skrivefeil.",
        (Lang::En, OrgNumberBadCheck) => "The check digit does not match. Check the number for typos.",
        (Lang::Nb, Contact) => "Kontaktperson",
        (Lang::En, Contact) => "Contact",
        (Lang::Nb, ContactName) => "Navn",
        (Lang::En, ContactName) => "Name",
        (Lang::Nb, ContactRole) => "Rolle",
        (Lang::En, ContactRole) => "Role",
        (Lang::Nb, ContactPhone) => "Telefon",
        (Lang::En, ContactPhone) => "Phone",
        (Lang::Nb, ContactEmail) => "E-post",
        (Lang::En, ContactEmail) => "E-mail",
        (Lang::Nb, RemoveContact) => "Fjern kontaktperson",
        (Lang::En, RemoveContact) => "Remove contact",
        (Lang::Nb, AddContact) => "Legg til kontaktperson",
        (Lang::En, AddContact) => "Add a contact",
        (Lang::Nb, NewWorkplace) => "Nytt arbeidssted",
        (Lang::En, NewWorkplace) => "New workplace",
        (Lang::Nb, EditWorkplace) => "Endre arbeidssted",
        (Lang::En, EditWorkplace) => "Edit workplace",
        (Lang::Nb, WorkplaceName) => "Navn på arbeidsstedet",
        (Lang::En, WorkplaceName) => "Name of the workplace",
        (Lang::Nb, ParticipantsHeading) => "Deltakere",
        (Lang::En, ParticipantsHeading) => "Participants",
        (Lang::Nb, NewPlacement) => "Ny praksisplass",
        (Lang::En, NewPlacement) => "New placement",
        (Lang::Nb, NameNeeded) => "Skriv inn navnet.",
        (Lang::En, NameNeeded) => "Enter the name.",
        (Lang::Nb, ParticipantAdded) => "Deltaker lagt til",
        (Lang::En, ParticipantAdded) => "Participant added",
        (Lang::Nb, NewParticipant) => "Ny deltaker",
        (Lang::En, NewParticipant) => "New participant",
        (Lang::Nb, ParticipantName) => "Navn deltakeren bruker",
        (Lang::En, ParticipantName) => "Name the participant goes by",
        (Lang::Nb, Programme) => "Program",
        (Lang::En, Programme) => "Programme",
        (Lang::Nb, Goal) => "Mål",
        (Lang::En, Goal) => "Goal",
        (Lang::Nb, LanguageLevel) => "Norsknivå",
        (Lang::En, LanguageLevel) => "Norwegian level",
        (Lang::Nb, AddParticipant) => "Legg til deltaker",
        (Lang::En, AddParticipant) => "Add participant",
        (Lang::Nb, NeedParticipantAndWorkplace) => {
            "En praksisplass trenger en deltaker og et arbeidssted. Legg dem til først."
        }
        (Lang::En, NeedParticipantAndWorkplace) => "A placement needs a participant and a workplace. Add them first.",
        (Lang::Nb, DatesNeeded) => "Velg startdato og planlagt slutt.",
        (Lang::En, DatesNeeded) => "Choose the start date and the planned end.",
        (Lang::Nb, Participant) => "Deltaker",
        (Lang::En, Participant) => "Participant",
        (Lang::Nb, MentorName) => "Fadder (navn)",
        (Lang::En, MentorName) => "Mentor (name)",
        (Lang::Nb, MentorPhone) => "Fadderens telefon",
        (Lang::En, MentorPhone) => "Mentor's phone",
        (Lang::Nb, StartDate) => "Startdato",
        (Lang::En, StartDate) => "Start date",
        (Lang::Nb, PlannedEnd) => "Planlagt slutt",
        (Lang::En, PlannedEnd) => "Planned end",
        (Lang::Nb, NoTemplate) => "Ingen mal for opplæringsplan i denne bransjen",
        (Lang::En, NoTemplate) => "No training-plan template for this industry",
        (Lang::Nb, UseTemplate) => "Start med opplæringsplanen for",
        (Lang::En, UseTemplate) => "Start with the training plan for",
        (Lang::Nb, TasksCount) => "oppgaver",
        (Lang::En, TasksCount) => "tasks",
        (Lang::Nb, EditVisit) => "Endre besøk",
        (Lang::En, EditVisit) => "Edit visit",
        (Lang::Nb, AgreedMeetings) => "Avtalte oppfølgingsmøter",
        (Lang::En, AgreedMeetings) => "Agreed follow-up meetings",
        (Lang::Nb, FollowUpMeetingTitle) => "oppfølgingsmøte",
        (Lang::En, FollowUpMeetingTitle) => "follow-up meeting",
        (Lang::Nb, MeetingPlanned) => "Planlagt dato",
        (Lang::En, MeetingPlanned) => "Planned for",
        (Lang::Nb, MeetingHeld) => "Holdt",
        (Lang::En, MeetingHeld) => "Held",
        (Lang::Nb, ContractSigned) => "Praksiskontrakten er signert",
        (Lang::En, ContractSigned) => "The practice contract is signed",
        (Lang::Nb, JobProspectLabel) => "Jobbmulighet etter praksis",
        (Lang::En, JobProspectLabel) => "Job prospect after the placement",
        (Lang::Nb, MentorAndDates) => "Fadder og sluttdato",
        (Lang::En, MentorAndDates) => "Mentor and end date",
        (Lang::Nb, SummaryConflict) => {
            "Oppsummeringen ble endret på en annen enhet mens du skrev. Kopier teksten din, åpne besøket på nytt og lim den inn."
        }
        (Lang::En, SummaryConflict) => {
            "The summary was changed on another device while you were writing. Copy your text, open the visit again and paste it in."
        }
        (Lang::Nb, EditButton) => "Endre",
        (Lang::En, EditButton) => "Edit",
        (Lang::Nb, NotAssessed) => "Ikke vurdert",
        (Lang::En, NotAssessed) => "Not assessed",
        (Lang::Nb, WhenLabel) => "Når",
        (Lang::En, WhenLabel) => "When",
        (Lang::Nb, NoPlacementChosen) => "Ingen praksisplass (for eksempel kartlegging)",
        (Lang::En, NoPlacementChosen) => "No placement (for example mapping)",
        (Lang::Nb, ChooseWorkplace) => "Velg arbeidsplass",
        (Lang::En, ChooseWorkplace) => "Choose a workplace",
        (Lang::Nb, MissingWorkplace) => "Velg arbeidsplassen du besøkte.",
        (Lang::En, MissingWorkplace) => "Choose the workplace you visited.",
        (Lang::Nb, MissingPlacement) => "Kryss av for praksisplassene dere snakket om, eller «Ingen praksisplass».",
        (Lang::En, MissingPlacement) => "Tick the placements you talked about, or “No placement”.",
        (Lang::Nb, MissingSummaryOrStatus) => "Skriv en oppsummering eller velg en status.",
        (Lang::En, MissingSummaryOrStatus) => "Write a summary or choose a status.",
        (Lang::Nb, MissingWhen) => "Skriv inn dato og klokkeslett for besøket.",
        (Lang::En, MissingWhen) => "Enter the date and time of the visit.",
        (Lang::Nb, FormNotSaved) => "Ikke lagret ennå: se feltene som er merket.",
        (Lang::En, FormNotSaved) => "Not saved yet: see the marked fields.",
        (Lang::Nb, MissingWorkplaceName) => "Skriv inn arbeidsplassens navn.",
        (Lang::En, MissingWorkplaceName) => "Enter the workplace's name.",
        (Lang::Nb, RecordsHeading) => "Besøk og tilbakemeldinger",
        (Lang::En, RecordsHeading) => "Visits and feedback",
        (Lang::Nb, NoRecordsYet) => "Ingen besøk eller tilbakemeldinger ennå.",
        (Lang::En, NoRecordsYet) => "No visits or feedback yet.",
        (Lang::Nb, AnswerIsEmpty) => "Skriv et svar først.",
        (Lang::En, AnswerIsEmpty) => "Write an answer first.",
        (Lang::Nb, TodayHeading) => "Dette haster i dag",
        (Lang::En, TodayHeading) => "Due today",
        (Lang::Nb, NothingDueToday) => "Ingenting forfaller i dag.",
        (Lang::En, NothingDueToday) => "Nothing is due today.",
        (Lang::Nb, LaterFollowUps) => "Senere oppfølginger",
        (Lang::En, LaterFollowUps) => "Later follow-ups",
        (Lang::Nb, FirstMeetingDue) => "1. oppfølgingsmøte",
        (Lang::En, FirstMeetingDue) => "1st follow-up meeting",
        (Lang::Nb, SecondMeetingDue) => "2. oppfølgingsmøte",
        (Lang::En, SecondMeetingDue) => "2nd follow-up meeting",
        (Lang::Nb, PlannedFor) => "planlagt",
        (Lang::En, PlannedFor) => "planned",
        (Lang::Nb, HomeLink) => "Hjem",
        (Lang::En, HomeLink) => "Home",
    }
}

/// Every problem in `errors`, one sentence each, in `lang`.
pub fn describe_invalid(lang: Lang, errors: &ValidationErrors) -> String {
    words::describe(if lang == Lang::Nb { words::Lang::Nb } else { words::Lang::En }, errors)
}
