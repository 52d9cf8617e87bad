//! Request and response bodies of the JSON API, shared so that the client
//! and the server cannot disagree about a field name.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::values::string_enum;

string_enum! {
    /// What an account may do. Mentors have no account; they come in by link.
    pub enum Role {
        Advisor = "advisor",
        Staff = "staff",
    }
}

/// `POST /api/auth/login`.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// A name for the device session, shown when sessions are listed
    /// ("Kari's phone"); defaults to the browser's description.
    #[serde(default)]
    pub device_name: Option<String>,
}

// Never print a password, not even in a debug log.
impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("device_name", &self.device_name)
            .finish()
    }
}

/// `GET /api/auth/methods`: how advisors and staff may log in here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginMethods {
    /// Whether `POST /api/auth/login` (username and password) is open.
    pub password: bool,
    /// The identity provider's name for the button "Logg inn med <name>",
    /// when sign-in through it (`GET /api/auth/oidc/start`) is set up.
    pub provider: Option<String>,
}

/// `POST /api/auth/oidc/finish`: the one-time code the sign-in left in the
/// app's URL fragment (`#oidc=<code>`), traded for a device session.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FinishSignIn {
    pub code: String,
    /// As in [`LoginRequest::device_name`].
    #[serde(default)]
    pub device_name: Option<String>,
}

// The code is as good as a password for a minute: never print it.
impl fmt::Debug for FinishSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FinishSignIn").field("code", &"<redacted>").field("device_name", &self.device_name).finish()
    }
}

/// A successful login.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    /// Bearer token for the new device session. The server keeps only a
    /// hash of it, so it is shown exactly once.
    pub token: String,
    pub user: Me,
}

impl fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginResponse").field("token", &"<redacted>").field("user", &self.user).finish()
    }
}

/// `GET /api/me`: who the bearer token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Staff with the admin right manage users and their devices.
    #[serde(default)]
    pub is_admin: bool,
}

/// `GET /api/admin/users`: one account as the administration page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserAccount {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub is_admin: bool,
    pub disabled: bool,
    /// Device sessions that still work.
    pub active_sessions: i64,
    /// The ids of the teams the account is a member of.
    #[serde(default)]
    pub teams: Vec<i64>,
    /// Staff only: sees every team, not only their own.
    #[serde(default)]
    pub all_teams: bool,
}

/// `GET /api/admin/access-log`: one reader given one participant's records
/// one day, one way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessLogEntry {
    /// The day (`YYYY-MM-DD`, UTC).
    pub day: String,
    /// When that day's first delivery was, in ms since the epoch.
    pub first_at: i64,
    /// The username, or a mentor's `mentor:<link id>`.
    pub reader: String,
    /// The reader's display name, when they have an account.
    pub reader_name: Option<String>,
    /// The participant's record id.
    pub participant: String,
    /// The participant's name; `null` once the participant is erased.
    pub participant_name: Option<String>,
    /// `sync` (sent to a device), `office` (shown in an office view) or
    /// `export` (in a CSV file).
    pub channel: String,
}

/// `GET /api/admin/teams`: one team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamSummary {
    pub id: i64,
    pub name: String,
    /// Usernames of its members.
    pub members: Vec<String>,
    /// How many participants belong to it.
    pub participants: i64,
}

/// `POST /api/admin/teams`: a new team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTeam {
    /// 1 to 100 characters, unique (case-insensitive).
    pub name: String,
}

/// `PUT /api/participants/{id}/team`: a handover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantTeam {
    /// The team's id.
    pub team: i64,
    /// Username of the responsible advisor, a member of that team; none
    /// when not named.
    #[serde(default)]
    pub advisor: Option<String>,
}

/// `PUT /api/admin/users/{id}/teams`: an account's teams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserTeams {
    /// Team ids; replaces the account's teams.
    pub teams: Vec<i64>,
    /// Staff only: see every team. Ignored (false) for advisors.
    #[serde(default)]
    pub all_teams: bool,
}

/// `POST /api/admin/users`: a new account.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub is_admin: bool,
    /// At least 10 characters. May be empty (or left out) when the server
    /// runs with `--password-login off`: the person signs in through the
    /// identity provider.
    #[serde(default)]
    pub password: String,
    /// Team ids. Without them the account joins the only team when there
    /// is just one; an advisor must be named to a team when there are
    /// several. Staff named to teams see only those; without, every team.
    #[serde(default)]
    pub teams: Vec<i64>,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("is_admin", &self.is_admin)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// `PATCH /api/admin/users/{id}`: the fields to change; absent ones stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserChange {
    pub role: Option<Role>,
    pub is_admin: Option<bool>,
    /// `true` disables the account and ends all its sessions at once.
    pub disabled: Option<bool>,
}

/// `POST /api/admin/users/{id}/password`: a new password set by an admin.
/// Ends the user's sessions; their phones keep unsynced work and ask them
/// to log in again.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub password: String,
}

impl fmt::Debug for PasswordReset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordReset").field("password", &"<redacted>").finish()
    }
}

/// The shortest password an admin may set.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// `GET /api/admin/users/{id}/sessions`: one device session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceSession {
    pub id: i64,
    pub device_name: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub state: DeviceSessionState,
}

/// Whether a device session still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeviceSessionState {
    Active,
    /// Unused for longer than the idle limit.
    Expired,
    Revoked,
    /// Revoked with "wipe": the phone deletes its data when it next calls.
    Wiped,
}

/// `POST /api/admin/sessions/{id}/revoke`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokeSession {
    /// Tell the phone to delete its local data the next time it calls.
    #[serde(default)]
    pub wipe: bool,
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when everything answers, `degraded` otherwise.
    pub status: String,
    /// The server's version.
    pub version: String,
    /// `ok`, or `unavailable` when the database does not answer.
    pub database: String,
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A stable, machine-readable code (`invalid_credentials`, `not_found`, …).
    pub error: String,
    /// A human-readable explanation in English.
    pub message: String,
}

/// `GET /api/documents/{id}`: what the server holds of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentInfo {
    pub id: String,
    /// The record kind (`visit`, `placement`, …).
    pub kind: String,
    /// The document's heads, as lowercase hex change hashes, sorted.
    pub heads: Vec<String>,
}

string_enum! {
    /// Whether a mentor link still lets its mentor in.
    pub enum MentorLinkState {
        Active = "active",
        Expired = "expired",
        Revoked = "revoked",
    }
}

/// One mentor link of a placement, as listed on the placement page. The
/// secret is never part of it: it is shown once, when the link is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentorLink {
    pub id: i64,
    /// Username of the advisor or staff member who made it.
    pub created_by: String,
    /// Milliseconds since the Unix epoch, like every time in the API.
    pub created_at: i64,
    pub expires_at: i64,
    pub state: MentorLinkState,
}

/// `POST /api/placements/{id}/mentor-links`: optional settings for a new link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMentorLink {
    /// When the link stops working (milliseconds since the epoch); by
    /// default 30 days after the placement's planned end.
    #[serde(default)]
    pub expires_at: Option<i64>,
}

/// A new mentor link, with its secret. The secret goes in the link's
/// fragment (`/fadder#<secret>`), which browsers never send to a server.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentorLinkCreated {
    pub link: MentorLink,
    pub secret: String,
}

impl fmt::Debug for MentorLinkCreated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MentorLinkCreated").field("link", &self.link).field("secret", &"<redacted>").finish()
    }
}

/// `POST /api/mentor/session`: the secret from a mentor link.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentorSessionRequest {
    pub secret: String,
}

impl fmt::Debug for MentorSessionRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MentorSessionRequest").field("secret", &"<redacted>").finish()
    }
}

/// A mentor session, and what the mentor needs to see.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentorSessionCreated {
    /// Bearer token for the mentor session; works only for this placement.
    pub token: String,
    pub view: MentorView,
}

impl fmt::Debug for MentorSessionCreated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MentorSessionCreated").field("token", &"<redacted>").field("view", &self.view).finish()
    }
}

/// `GET /api/mentor/placement`: the little a mentor sees of their placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentorView {
    pub placement: crate::values::DocId,
    /// The participant's first name only.
    pub participant_first_name: String,
    pub workplace_name: String,
    /// The mentor's name as the placement records it.
    pub mentor_name: String,
    /// The full name of the advisor who follows the placement up: the one
    /// the mentor's feedback reaches. Empty from a server older than the
    /// field (a session stored on the phone before it).
    #[serde(default)]
    pub advisor_name: String,
    pub phase: u8,
    /// The training plan's tasks in the current phase.
    pub tasks: Vec<MentorTask>,
    /// What the mentor's feedback records carry in `created_by`.
    pub identity: String,
    /// When the link, and with it this session, stops working.
    pub expires_at: i64,
}

/// A training-plan task as a mentor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentorTask {
    pub id: String,
    pub text: String,
    pub mastered: bool,
}

/// Why a placement is on the office's attention list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttentionReason {
    /// The latest visit or mentor feedback says red.
    RedStatus,
    /// The latest visit or mentor feedback says yellow.
    YellowStatus,
    /// The mentor's latest feedback asks the advisor to get in touch.
    MentorAsksForContact,
    /// The mentor's latest feedback says "not yet" to the next phase.
    NotReadyForNextPhase,
    /// A follow-up from a visit is past its due date.
    OverdueFollowUp,
    /// No visit in the chosen number of days (or none at all).
    NoRecentVisit,
    /// The placement is planned to end within 14 days.
    EndingSoon,
    /// Visits or feedback the office has not reviewed.
    Unreviewed,
    /// The placement, one of its visits or a mentor's feedback holds
    /// values two people wrote at once that nobody has chosen between
    /// (see the record's history).
    Conflict,
}

/// One placement on the attention list, and why it is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttentionRow {
    pub placement: String,
    pub participant: String,
    pub workplace: String,
    pub workplace_id: String,
    pub industry: String,
    /// The advisor's username.
    pub advisor: String,
    /// The advisor's name (the username if they have no account here).
    pub advisor_name: String,
    pub status: String,
    pub phase: i64,
    pub start: String,
    pub planned_end: String,
    /// The latest visit's time (ms since the epoch), if any.
    pub last_visit_at: Option<i64>,
    pub unreviewed: i64,
    pub reasons: Vec<AttentionReason>,
}

/// `POST /api/documents/{id}/review`: the office's review of a visit or a
/// piece of mentor feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewRequest {
    /// `reviewed`, `needs_more_info` or `unreviewed`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub state: crate::records::ReviewState,
    /// What the office wants to know, or a note; may be empty.
    #[serde(default)]
    pub comment: String,
}

/// `POST /api/documents/{id}/resolve`: the value that stands for a field
/// two people changed concurrently (one of those the history shows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolveRequest {
    /// The field, as the history names it (`status`, `review.state`).
    pub field: String,
    /// One of the conflicting values.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub value: serde_json::Value,
}

/// One field a change set, and its value afterwards (`null` if removed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub value: serde_json::Value,
}

/// One stored change of a record: when the server received it, from
/// whom and which device, and the fields it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryStep {
    /// The change's position in the server's change feed.
    pub seq: i64,
    /// When the server stored it (ms since the epoch).
    pub received_at: i64,
    /// The account that pushed it; none for demo data or a mentor.
    pub username: Option<String>,
    /// That account's name.
    pub user_name: Option<String>,
    pub device: Option<String>,
    /// The mentor link whose session pushed it, for mentor feedback.
    pub mentor_link: Option<i64>,
    pub fields: Vec<FieldChange>,
}

/// A field with concurrent values, all of which the document holds until
/// someone writes it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conflict {
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub values: Vec<serde_json::Value>,
}

/// `GET /api/documents/{id}/history`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct History {
    /// The record's kind (`visit`, `mentor_feedback`, …).
    #[serde(default)]
    pub kind: String,
    /// What the record is, by names: a visit's workplace and participants,
    /// a placement's participant and workplace, a workplace's or a
    /// participant's name, feedback's participant and mentor.
    #[serde(default)]
    pub title: String,
    /// The names of the records the history's values point to, by id
    /// (workplaces and participants by name, placements by their
    /// participant's), so people read names instead of ids.
    #[serde(default)]
    pub names: std::collections::BTreeMap<String, String>,
    pub steps: Vec<HistoryStep>,
    pub conflicts: Vec<Conflict>,
}

/// `GET /api/figures`: the programme figures for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    pub from: String,
    pub to: String,
    /// Workplaces with a mapping visit or a contract meeting in the period.
    pub employers_contacted: i64,
    /// Workplaces with any visit in the period.
    pub employers_visited: i64,
    pub visits: i64,
    /// Visits per ISO week (`2026-W48`), every week of the period listed.
    pub visits_per_week: Vec<(String, i64)>,
    /// Placements running in the period, by status.
    pub placements_by_status: std::collections::BTreeMap<String, i64>,
    /// Active placements by phase (1–3).
    #[serde(deserialize_with = "numbered_keys")]
    pub placements_by_phase: std::collections::BTreeMap<i64, i64>,
    /// Job interviews in the period (visits of that type).
    pub interviews: i64,
    /// Placements running in the period whose job prospect is "offered".
    pub job_offers: i64,
    /// Placements that ended in the period with the participant hired.
    pub hires: i64,
    /// Placements that ended in the period.
    pub ended: i64,
    /// Of those, how many led to work or education.
    pub ended_in_work_or_education: i64,
}

/// Reads a map whose keys are numbers, which JSON writes as object keys
/// (`{"1": 4}`). serde_json turns such keys back into numbers; the
/// browser's `JSON.parse`, which the client reads with, leaves them text.
fn numbered_keys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<std::collections::BTreeMap<i64, i64>, D::Error> {
    let by_text = std::collections::BTreeMap::<String, i64>::deserialize(d)?;
    (by_text.into_iter())
        .map(|(key, n)| {
            key.parse().map(|key| (key, n)).map_err(|_| serde::de::Error::custom(format!("{key:?} is not a number")))
        })
        .collect()
}

/// A record's review, as the office sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewView {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub state: crate::records::ReviewState,
    /// The reviewer's username.
    pub reviewer: Option<String>,
    /// The reviewer's name (the username if they have no account here).
    pub reviewer_name: Option<String>,
    pub comment: String,
    /// The advisor's answer to a question on mentor feedback (a visit's
    /// answer is in its summary).
    #[serde(default)]
    pub answer: Option<String>,
}

/// A follow-up action agreed at a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpView {
    pub text: String,
    /// `YYYY-MM-DD`, if it has a due date.
    pub due: Option<String>,
    pub done: bool,
}

/// What one entry on a placement's timeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// A visit about the placement (`code` is the visit type).
    Visit,
    /// Mentor feedback (`code` is the readiness for the next phase).
    Feedback,
    /// The placement moved to another phase (`code` is the new phase).
    PhaseChanged,
    /// A training-plan task was ticked as mastered (`text` is the task).
    TaskMastered,
    /// The placement's status changed (`code` is the new status).
    StatusChanged,
}

/// One entry on a placement's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// When it happened (ms since the epoch): the visit's time, the
    /// feedback's, or when the server received the change.
    pub at: i64,
    pub kind: TimelineKind,
    /// The record this entry is about (the visit, the feedback, or the
    /// placement itself), for review and history.
    pub record: String,
    /// Who made it: the advisor's username, the mentor's name.
    pub author: Option<String>,
    /// Who made it, by name: the advisor's name (their username if they
    /// have no account here), the mentor's name.
    pub author_name: Option<String>,
    /// A stable code, as `kind` describes.
    pub code: String,
    /// green, yellow or red, for visits and feedback.
    pub status: Option<String>,
    /// The summary, the mentor's words, or the task.
    pub text: String,
    pub follow_ups: Vec<FollowUpView>,
    pub review: Option<ReviewView>,
    /// The record holds concurrent values nobody has chosen between; its
    /// history shows them and lets staff choose.
    #[serde(default)]
    pub conflicted: bool,
    /// For feedback, the mentor's ratings by field (`attendance`,
    /// `punctuality`, `initiative`, `norwegian`) with their codes; a rating
    /// the mentor left unanswered is `not_assessed`.
    #[serde(default)]
    pub ratings: Vec<Rating>,
}

/// One of a mentor's ratings, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    pub field: String,
    /// `needs_work`, `ok`, `good` or `not_assessed`.
    pub value: String,
}

/// `GET /api/placements/{id}/timeline`: one placement and everything
/// recorded about it, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacementTimeline {
    pub placement: String,
    pub participant: String,
    pub participant_id: String,
    pub workplace: String,
    pub workplace_id: String,
    /// The advisor's username.
    pub advisor: String,
    /// The advisor's name (the username if they have no account here).
    pub advisor_name: String,
    pub mentor: String,
    pub status: String,
    pub phase: i64,
    pub start: String,
    pub planned_end: String,
    pub job_prospect: String,
    pub tasks: i64,
    pub tasks_mastered: i64,
    /// The two follow-up meetings agreed for the placement period.
    pub first_meeting: MeetingView,
    pub second_meeting: MeetingView,
    pub contract_signed: bool,
    pub entries: Vec<TimelineEntry>,
}

/// An agreed follow-up meeting: the day it is planned for (`YYYY-MM-DD`),
/// if it is, and whether it was held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingView {
    pub planned: Option<String>,
    pub held: bool,
}

/// A person at a workplace, as the office sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    pub name: String,
    pub role: String,
    pub phone: String,
    pub email: String,
}

/// A placement at a workplace, in its overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkplacePlacement {
    pub placement: String,
    pub participant: String,
    /// The advisor's username.
    pub advisor: String,
    /// The advisor's name (the username if they have no account here).
    pub advisor_name: String,
    pub status: String,
    pub phase: i64,
    pub start: String,
    pub planned_end: String,
}

/// `GET /api/workplaces/{id}/overview`: a workplace, its contacts, mapping
/// notes and hiring outlook, and its placements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkplaceOverview {
    pub id: String,
    pub name: String,
    /// Grouped as Norwegians write it: `974 760 673`.
    pub org_number: String,
    pub address: String,
    pub industry: String,
    pub hiring_outlook: String,
    /// Months (1–12) with the most work.
    pub peak_months: Vec<u8>,
    pub needs: String,
    pub requirements: String,
    pub safety_routines: String,
    pub contacts: Vec<ContactView>,
    pub placements: Vec<WorkplacePlacement>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures_with_phases(phases: &str) -> String {
        format!(
            r#"{{"from":"2026-11-01","to":"2026-11-30","employers_contacted":0,"employers_visited":0,"visits":0,
            "visits_per_week":[],"placements_by_status":{{}},"placements_by_phase":{phases},"interviews":0,
            "job_offers":0,"hires":0,"ended":0,"ended_in_work_or_education":0}}"#
        )
    }

    #[test]
    fn phase_counts_read_from_json_object_keys_and_write_back_the_same() {
        let text = figures_with_phases(r#"{"1":4,"3":1}"#);
        let figures: Figures = serde_json::from_str(&text).expect("valid figures");
        assert_eq!(figures.placements_by_phase, [(1, 4), (3, 1)].into());
        let written = serde_json::to_value(&figures).expect("serialisable");
        assert_eq!(written["placements_by_phase"], serde_json::json!({"1": 4, "3": 1}));
    }

    #[test]
    fn a_phase_key_that_is_not_a_number_is_refused() {
        let error = serde_json::from_str::<Figures>(&figures_with_phases(r#"{"one":4}"#)).expect_err("not a number");
        assert!(error.to_string().contains(r#""one" is not a number"#), "{error}");
    }
}
