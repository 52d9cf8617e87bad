//! Command-line interface and configuration. Every `serve` option can also
//! be set by an `INNOM_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use innom_shared::api::Role;

/// Innom: offline-first field records for employment programmes.
#[derive(Debug, Parser)]
#[command(name = "innom", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// How log lines are written to standard error: `text` for people,
    /// `json` (one object a line) for a log collector.
    #[arg(long, global = true, env = "INNOM_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

/// See [`Cli::log_format`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server: the API and the built client.
    Serve(Box<ServeConfig>),
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage teams: who sees which participants' records.
    Team {
        #[command(subcommand)]
        command: TeamCommand,
    },
    /// Load the demo data: two accounts, and a small organisation's
    /// workplaces, participants, placements, visits and mentor feedback.
    Demo(DatabaseArg),
    /// Empty the query tables behind the office's views and project them
    /// again from the stored documents.
    RebuildProjections(DatabaseArg),
    /// Copy the database into a new file, consistently, while the server
    /// runs and phones sync; the copy is checked and what it holds printed.
    Backup(BackupArgs),
    /// Replace the database with a backup. The server must be stopped; the
    /// backup is checked before anything is replaced.
    Restore(RestoreArgs),
}

/// `innom backup`.
#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub database: DatabaseArg,
    /// The new file to write the backup to; never overwritten.
    #[arg(long)]
    pub to: PathBuf,
}

/// `innom restore`.
#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The backup to restore (made by `innom backup`).
    #[arg(long)]
    pub from: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArg,
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Make a team.
    Add(TeamAddArgs),
    /// List the teams with their members and how many participants each holds.
    List(DatabaseArg),
}

/// `innom team add`.
#[derive(Debug, Clone, Args)]
pub struct TeamAddArgs {
    #[command(flatten)]
    pub database: DatabaseArg,
    /// The team's name, for example "Jobbsjansen"; unique.
    #[arg(long)]
    pub name: String,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account. The password is read from standard input, never
    /// from an argument (arguments show up in `ps` and shell history).
    Add(UserAddArgs),
}

/// Where the SQLite file lives.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArg {
    /// Path of the SQLite database file; created and migrated if missing.
    #[arg(long, env = "INNOM_DATABASE", default_value = "data/innom.sqlite")]
    pub database: PathBuf,
}

impl ServeConfig {
    /// The certificate files, when Innom serves HTTPS itself.
    pub fn tls(&self) -> Option<crate::tls::TlsFiles> {
        Some(crate::tls::TlsFiles { cert: self.tls_cert.clone()?, key: self.tls_key.clone()? })
    }
}

/// How to run the server.
#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address and port to listen on; port 0 picks a free port.
    #[arg(long, env = "INNOM_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArg,
    /// Folder with the built client (Trunk's `dist/`); without it only the
    /// API is served.
    #[arg(long, env = "INNOM_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// On an empty database, load the demo accounts and records and print
    /// the logins.
    #[arg(long, env = "INNOM_DEMO")]
    pub demo: bool,
    /// Serve Prometheus metrics at `/metrics` on this address (for
    /// example 127.0.0.1:9090), apart from the API; off without it.
    #[arg(long, env = "INNOM_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Serve HTTPS with this certificate chain (PEM); needs `--tls-key`.
    /// The files are read again when they change, so a renewed
    /// certificate needs no restart. Without it Innom serves plain HTTP,
    /// for a TLS proxy in front.
    #[arg(long, env = "INNOM_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key (PEM) of `--tls-cert`.
    #[arg(long, env = "INNOM_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Addresses of reverse proxies in front of Innom (for example
    /// 127.0.0.1 for Caddy on the same machine), comma-separated. Logins
    /// through them are throttled by the client address the proxy puts in
    /// `X-Forwarded-For` instead of by the proxy's own.
    #[arg(long, env = "INNOM_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<std::net::IpAddr>,
    /// With `--tls-cert`: also listen for plain HTTP on this address (for
    /// example 0.0.0.0:80) and send every request there to HTTPS.
    #[arg(long, env = "INNOM_REDIRECT_LISTEN", requires = "tls_cert")]
    pub redirect_listen: Option<SocketAddr>,
    /// Seconds a request may take, reading its body included, before it
    /// gets 408. The event stream has no limit.
    #[arg(long, env = "INNOM_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
    /// Days a device session may go unused before it stops working. The
    /// phone keeps its unsynced work and asks for the password again.
    #[arg(long, env = "INNOM_SESSION_IDLE_DAYS", default_value_t = 30)]
    pub session_idle_days: u64,
    /// Months after a placement ended before advisors' phones drop its
    /// records (the placement, its visits and feedback, and a participant
    /// with nothing newer). The server keeps them.
    #[arg(long, env = "INNOM_PHONE_RETENTION_MONTHS", default_value_t = 6,
          value_parser = clap::value_parser!(u32).range(1..=120))]
    pub phone_retention_months: u32,
    /// Days the access log (who was given whose records) is kept before
    /// its rows are removed.
    #[arg(long, env = "INNOM_ACCESS_LOG_DAYS", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(1..=3660))]
    pub access_log_days: u32,
    /// Whether advisors and staff may log in with a password kept by
    /// Innom. `off` leaves only the identity provider (`--oidc-issuer`);
    /// mentors keep their links either way.
    #[arg(long, env = "INNOM_PASSWORD_LOGIN", value_enum, default_value = "on")]
    pub password_login: Switch,
    /// The address people reach Innom at (for example
    /// https://innom.kommune.no), for the sign-in's redirect URI
    /// `<public-url>/api/auth/oidc/callback`. Without it the address is
    /// taken from each request's `Host` (and `X-Forwarded-Proto` from a
    /// trusted proxy).
    #[arg(long, env = "INNOM_PUBLIC_URL")]
    pub public_url: Option<String>,
    #[command(flatten)]
    pub oidc: OidcArgs,
}

impl Default for OidcArgs {
    /// Off, with the options' defaults (for tests that build a config).
    fn default() -> Self {
        Self {
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret_file: None,
            oidc_name: None,
            oidc_username_claim: "preferred_username".into(),
            oidc_name_claim: "name".into(),
            oidc_groups_claim: None,
            oidc_groups: Vec::new(),
            oidc_accounts: crate::oidc::NewAccounts::Existing,
            oidc_scopes: "openid profile email offline_access".into(),
            oidc_recheck_seconds: 900,
        }
    }
}

/// `on` or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

/// Sign-in through the municipality's OpenID Connect provider (Microsoft
/// Entra ID or another). Off unless `--oidc-issuer` is given.
#[derive(Debug, Clone, Args)]
pub struct OidcArgs {
    /// The provider's issuer URL; its discovery document is read from
    /// `<issuer>/.well-known/openid-configuration`. For Entra ID:
    /// https://login.microsoftonline.com/<tenant id>/v2.0
    #[arg(long, env = "INNOM_OIDC_ISSUER", requires = "oidc_client_id")]
    pub oidc_issuer: Option<String>,
    /// The client (application) id Innom is registered under.
    #[arg(long, env = "INNOM_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,
    /// A file holding the client secret (its first line). The secret may
    /// instead be given in the environment variable
    /// `INNOM_OIDC_CLIENT_SECRET`; never on the command line.
    #[arg(long, env = "INNOM_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,
    /// The provider's name on the login button: "Logg inn med <name>".
    /// Defaults to the issuer's host name.
    #[arg(long, env = "INNOM_OIDC_NAME")]
    pub oidc_name: Option<String>,
    /// The ID-token claim whose value is the Innom username (compared
    /// case-insensitively).
    #[arg(long, env = "INNOM_OIDC_USERNAME_CLAIM", default_value = "preferred_username")]
    pub oidc_username_claim: String,
    /// The ID-token claim with the person's full name, for new accounts.
    #[arg(long, env = "INNOM_OIDC_NAME_CLAIM", default_value = "name")]
    pub oidc_name_claim: String,
    /// The ID-token claim listing the person's groups (for Entra ID:
    /// `groups`, or `roles` for app roles); read by `--oidc-group`.
    #[arg(long, env = "INNOM_OIDC_GROUPS_CLAIM")]
    pub oidc_groups_claim: Option<String>,
    /// What a group gives a new account: `GROUP=WHAT`, where WHAT is a
    /// comma-separated list of `advisor`, `staff`, `admin` and
    /// `team:<name>`. Repeat for several groups; in the environment,
    /// separate them with `;`.
    #[arg(long = "oidc-group", env = "INNOM_OIDC_GROUPS", value_name = "GROUP=WHAT", value_delimiter = ';',
          value_parser = crate::oidc::GroupRule::parse)]
    pub oidc_groups: Vec<crate::oidc::GroupRule>,
    /// Who may sign in: `existing` accounts only (matched on the username
    /// claim), or also new people, whose account is `create`d on first
    /// sign-in from their groups.
    #[arg(long, env = "INNOM_OIDC_ACCOUNTS", value_enum, default_value = "existing")]
    pub oidc_accounts: crate::oidc::NewAccounts,
    /// The scopes asked for, space-separated. `offline_access` gives the
    /// refresh token Innom asks the provider with, every
    /// `--oidc-recheck-seconds`, whether the person may still sign in.
    #[arg(long, env = "INNOM_OIDC_SCOPES", default_value = "openid profile email offline_access")]
    pub oidc_scopes: String,
    /// Seconds between asking the provider whether a signed-in person may
    /// still sign in. A refused person's device sessions end; their
    /// phones keep what they have not sent.
    #[arg(long, env = "INNOM_OIDC_RECHECK_SECONDS", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub oidc_recheck_seconds: u64,
}

#[derive(Debug, Clone, Args)]
pub struct UserAddArgs {
    #[command(flatten)]
    pub database: DatabaseArg,
    /// Login name, case-insensitive.
    #[arg(long)]
    pub username: String,
    /// What the account may do.
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Name shown in the app; defaults to the username.
    #[arg(long)]
    pub display_name: Option<String>,
    /// Give the account the admin right (staff only): it manages users
    /// and their devices.
    #[arg(long)]
    pub admin: bool,
    /// A team the account belongs to (repeat for several). Without it the
    /// account joins the only team when there is just one. Staff named to
    /// teams see only those; without, every team.
    #[arg(long = "team", value_name = "NAME")]
    pub teams: Vec<String>,
}

/// The roles as command-line values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Advisor,
    Staff,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Advisor => Role::Advisor,
            RoleArg::Staff => Role::Staff,
        }
    }
}
