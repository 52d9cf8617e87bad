//! Sign-in through the municipality's OpenID Connect provider.
//!
//! `begin` sends the browser to the provider (authorization code flow with
//! PKCE, `state` and `nonce`); the provider sends it back to the callback
//! with a code, which `finish` exchanges (with the client secret) for an ID
//! token. The token's signature is checked against the provider's keys
//! (fetched again when a new key id appears), and its issuer, audience,
//! expiry and nonce. The app is then sent to its page with a one-time code
//! in the URL fragment — never sent to any server, so in no log and no
//! `Referer` — which it trades for a device session with a POST (`redeem`).
//!
//! Sign-ins under way and codes not yet collected are held in memory for
//! minutes; a restart in between means signing in again.

pub mod accounts;
pub mod recheck;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreJsonWebKeySet, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    SignatureVerificationError, TokenResponse,
};

use crate::config::OidcArgs;
use crate::tokens;

pub use accounts::{GroupRule, NewAccounts};

/// How long a sign-in may take at the provider.
const SIGN_IN_TIME: Duration = Duration::from_secs(600);
/// How long the app has to collect its session after the provider's answer.
const HANDOFF_TIME: Duration = Duration::from_secs(60);
/// Sign-ins under way at most; more are refused until some finish or expire,
/// so a flood of started sign-ins cannot fill the memory.
const MAX_PENDING: usize = 10_000;
/// How far the provider's clock may be from the server's.
const CLOCK_SKEW: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// Which app started the sign-in, and gets the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    /// The phone app, whose login page is `/logg-inn`.
    Phone,
    /// The office app at `/kontor/`.
    Office,
}

impl App {
    /// The page the browser is sent back to.
    pub fn path(self) -> &'static str {
        match self {
            Self::Phone => "/logg-inn",
            Self::Office => "/kontor/",
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Office => "office",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "phone" => Some(Self::Phone),
            "office" => Some(Self::Office),
            _ => None,
        }
    }
}

/// Why a sign-in failed. The code goes to the app's login page (which says
/// it in the user's language), the detail to the administrator's log.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// The provider could not be reached, or answered nonsense.
    #[error("the identity provider could not be reached: {0}")]
    Unreachable(String),
    /// The person signed in at the provider but may not use Innom.
    #[error("not allowed to use Innom: {0}")]
    NotAllowed(String),
    /// The ID token is expired or issued in the future: the clocks differ.
    #[error("the ID token's times do not fit the server's clock: {0}")]
    ClockSkew(String),
    /// The person cancelled at the provider.
    #[error("the sign-in was cancelled at the identity provider")]
    Cancelled,
    /// Anything else refused: unknown or used `state`, another browser, a
    /// refused code, a token that fails its checks.
    #[error("the sign-in was refused: {0}")]
    Refused(String),
}

impl SignInError {
    /// The code the app's login page is given (`#oidc-error=<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreachable(_) => "provider_unreachable",
            Self::NotAllowed(_) => "not_allowed",
            Self::ClockSkew(_) => "clock_skew",
            Self::Cancelled => "cancelled",
            Self::Refused(_) => "failed",
        }
    }

    /// Writes the administrator's log line naming the cause.
    pub fn log(&self) {
        tracing::warn!(cause = self.code(), "sign-in through the identity provider failed: {self}");
    }
}

/// The configured provider; cheap to clone.
#[derive(Clone, Debug)]
pub struct Oidc {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    /// Shown on the login button.
    name: String,
    scopes: Vec<Scope>,
    claims: accounts::ClaimRules,
    recheck: Duration,
    http: reqwest::Client,
    /// The discovery document with the provider's keys, once fetched.
    metadata: tokio::sync::RwLock<Option<CoreProviderMetadata>>,
    pending: Mutex<HashMap<[u8; 32], Pending>>,
    handoffs: Mutex<HashMap<[u8; 32], Handoff>>,
}

/// A sign-in sent to the provider, keyed by the hash of its `state`.
struct Pending {
    /// Hash of the cookie set in the browser that started it.
    browser: [u8; 32],
    verifier: String,
    nonce: String,
    redirect_uri: String,
    started: Instant,
}

/// A finished sign-in waiting for its app, keyed by the hash of its code.
pub struct Handoff {
    pub user_id: i64,
    /// The provider's refresh token, to ask later whether the person may
    /// still sign in (`recheck`).
    pub refresh_token: Option<String>,
    started: Instant,
}

// The PKCE verifier, nonce and refresh token are secrets: never printed.
impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").field("started", &self.started).finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Handoff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handoff").field("user_id", &self.user_id).finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Started {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Started").finish_non_exhaustive()
    }
}

impl std::fmt::Debug for VerifiedSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedSignIn").field("claims", &self.claims.keys()).finish_non_exhaustive()
    }
}

/// What the browser is given to start a sign-in.
pub struct Started {
    /// The provider's authorization URL.
    pub url: String,
    /// The cookie value binding the sign-in to this browser.
    pub browser_cookie: String,
}

impl Oidc {
    /// The provider of `--oidc-issuer`, or `None` when it is not set. The
    /// provider is asked for its discovery document at the first sign-in,
    /// so Innom starts while the provider is down.
    pub fn from_config(args: &OidcArgs) -> anyhow::Result<Option<Self>> {
        let (Some(issuer), Some(client_id)) = (&args.oidc_issuer, &args.oidc_client_id) else { return Ok(None) };
        let issuer = IssuerUrl::new(issuer.trim_end_matches('/').to_owned())
            .map_err(|e| anyhow::anyhow!("--oidc-issuer {issuer:?} is not a URL: {e}"))?;
        let client_secret = match (&args.oidc_client_secret_file, std::env::var("INNOM_OIDC_CLIENT_SECRET")) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("cannot read --oidc-client-secret-file {}: {e}", path.display()))?;
                let secret = text.lines().next().unwrap_or("").trim().to_owned();
                anyhow::ensure!(!secret.is_empty(), "--oidc-client-secret-file {} is empty", path.display());
                Some(ClientSecret::new(secret))
            }
            (None, Ok(secret)) if !secret.trim().is_empty() => Some(ClientSecret::new(secret.trim().to_owned())),
            _ => None,
        };
        let name = args
            .oidc_name
            .clone()
            .unwrap_or_else(|| issuer.url().host_str().map_or_else(|| issuer.as_str().to_owned(), str::to_owned));
        // reqwest's rustls needs a process-wide crypto provider; Innom's
        // HTTPS uses the same one. Installed already is fine.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let http = reqwest::Client::builder()
            // Following redirects would let a provider send the server's
            // requests anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Some(Self {
            inner: Arc::new(Inner {
                issuer,
                client_id: ClientId::new(client_id.clone()),
                client_secret,
                name,
                scopes: args.oidc_scopes.split_whitespace().map(|s| Scope::new(s.to_owned())).collect(),
                claims: accounts::ClaimRules::from_config(args),
                recheck: Duration::from_secs(args.oidc_recheck_seconds),
                http,
                metadata: tokio::sync::RwLock::new(None),
                pending: Mutex::new(HashMap::new()),
                handoffs: Mutex::new(HashMap::new()),
            }),
        }))
    }

    /// How claims become an account.
    pub fn claim_rules(&self) -> &accounts::ClaimRules {
        &self.inner.claims
    }

    /// The provider's name for the login button.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The discovery document, fetched on first use.
    async fn metadata(&self) -> Result<CoreProviderMetadata, SignInError> {
        if let Some(metadata) = self.inner.metadata.read().await.as_ref() {
            return Ok(metadata.clone());
        }
        let metadata =
            CoreProviderMetadata::discover_async(self.inner.issuer.clone(), &self.inner.http).await.map_err(|e| {
                SignInError::Unreachable(format!("discovery at {} failed: {}", self.inner.issuer.as_str(), chain(&e)))
            })?;
        *self.inner.metadata.write().await = Some(metadata.clone());
        Ok(metadata)
    }

    /// Fetches the provider's keys again (a token named a key id not seen before).
    async fn refetch_keys(&self, metadata: CoreProviderMetadata) -> Result<CoreProviderMetadata, SignInError> {
        let keys = CoreJsonWebKeySet::fetch_async(metadata.jwks_uri(), &self.inner.http)
            .await
            .map_err(|e| SignInError::Unreachable(format!("fetching the provider's keys failed: {}", chain(&e))))?;
        let metadata = metadata.set_jwks(keys);
        *self.inner.metadata.write().await = Some(metadata.clone());
        tracing::info!("fetched the identity provider's signing keys again (a new key id appeared)");
        Ok(metadata)
    }

    fn client(
        &self,
        metadata: CoreProviderMetadata,
    ) -> CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    > {
        CoreClient::from_provider_metadata(metadata, self.inner.client_id.clone(), self.inner.client_secret.clone())
    }

    /// Starts a sign-in: where to send the browser, and the cookie that
    /// ties the answer to it.
    pub async fn begin(&self, app: App, redirect_uri: String) -> Result<Started, SignInError> {
        let metadata = self.metadata().await?;
        let redirect = RedirectUrl::new(redirect_uri.clone())
            .map_err(|e| SignInError::Refused(format!("the redirect URI {redirect_uri:?} is not a URL: {e}")))?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let client = self.client(metadata).set_redirect_uri(redirect);
        let mut request = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_pkce_challenge(challenge);
        for scope in &self.inner.scopes {
            if scope.as_str() != "openid" {
                request = request.add_scope(scope.clone());
            }
        }
        let (url, state, nonce) = request.url();
        let browser_cookie = format!("{}.{}", app.as_str(), tokens::generate());
        let mut pending = lock(&self.inner.pending);
        pending.retain(|_, p| p.started.elapsed() < SIGN_IN_TIME);
        if pending.len() >= MAX_PENDING {
            return Err(SignInError::Unreachable("too many sign-ins under way; try again in a few minutes".into()));
        }
        pending.insert(
            tokens::hash(state.secret()),
            Pending {
                browser: tokens::hash(&browser_cookie),
                verifier: verifier.into_secret(),
                nonce: nonce.secret().clone(),
                redirect_uri,
                started: Instant::now(),
            },
        );
        Ok(Started { url: url.into(), browser_cookie })
    }

    /// Checks the provider's answer and exchanges its code for a verified
    /// ID token. The `state` is used up whatever the outcome.
    pub async fn finish(
        &self,
        state: &str,
        code: &str,
        browser_cookie: Option<&str>,
    ) -> Result<VerifiedSignIn, SignInError> {
        let pending = self.take_pending(state, browser_cookie)?;
        let metadata = self.metadata().await?;
        let redirect = RedirectUrl::new(pending.redirect_uri.clone())
            .map_err(|e| SignInError::Refused(format!("bad redirect URI: {e}")))?;
        let client = self.client(metadata.clone()).set_redirect_uri(redirect);
        let answer = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| SignInError::Unreachable(format!("the provider names no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
            .request_async(&self.inner.http)
            .await
            .map_err(|e| token_error("exchanging the code", &e))?;
        let id_token =
            answer.id_token().ok_or_else(|| SignInError::Refused("the provider's answer has no ID token".into()))?;
        let nonce = Nonce::new(pending.nonce);
        let checked = match self.check(&client, id_token, &nonce) {
            Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
                let metadata = self.refetch_keys(metadata).await?;
                self.check(&self.client(metadata), id_token, &nonce)
            }
            other => other,
        };
        checked.map_err(claims_error)?;
        Ok(VerifiedSignIn {
            claims: payload(id_token)?,
            refresh_token: answer.refresh_token().map(|t| t.secret().clone()),
        })
    }

    fn check<S, A, D, U>(
        &self,
        client: &CoreClient<openidconnect::EndpointSet, S, A, D, U, openidconnect::EndpointMaybeSet>,
        id_token: &CoreIdToken,
        nonce: &Nonce,
    ) -> Result<(), ClaimsVerificationError>
    where
        S: openidconnect::EndpointState,
        A: openidconnect::EndpointState,
        D: openidconnect::EndpointState,
        U: openidconnect::EndpointState,
    {
        let verifier =
            client.id_token_verifier().set_time_fn(|| Utc::now() - CLOCK_SKEW).set_issue_time_verifier_fn(|issued| {
                let now = Utc::now();
                if issued > now + CLOCK_SKEW {
                    Err(format!("issued at {issued}, after the server's time {now}"))
                } else {
                    Ok(())
                }
            });
        id_token.claims(&verifier, nonce).map(|_| ())
    }

    /// Takes the sign-in under way that `state` names, checking it was
    /// started by this browser and is not too old.
    fn take_pending(&self, state: &str, browser_cookie: Option<&str>) -> Result<Pending, SignInError> {
        let pending = lock(&self.inner.pending)
            .remove(&tokens::hash(state))
            .ok_or_else(|| SignInError::Refused("unknown or already used state".into()))?;
        if browser_cookie.map(tokens::hash) != Some(pending.browser) {
            return Err(SignInError::Refused("the answer reached another browser than the one that started".into()));
        }
        if pending.started.elapsed() > SIGN_IN_TIME {
            return Err(SignInError::Refused("the sign-in took longer than 10 minutes".into()));
        }
        Ok(pending)
    }

    /// Forgets the sign-in `state` names (the provider answered with an error).
    pub fn abandon(&self, state: &str) {
        lock(&self.inner.pending).remove(&tokens::hash(state));
    }

    /// A one-time code for the app to collect its session with.
    pub fn hand_off(&self, user_id: i64, refresh_token: Option<String>) -> String {
        let code = tokens::generate();
        let mut handoffs = lock(&self.inner.handoffs);
        handoffs.retain(|_, h| h.started.elapsed() < HANDOFF_TIME);
        handoffs.insert(tokens::hash(&code), Handoff { user_id, refresh_token, started: Instant::now() });
        code
    }

    /// The sign-in a one-time code stands for; the code is used up.
    pub fn redeem(&self, code: &str) -> Option<Handoff> {
        let handoff = lock(&self.inner.handoffs).remove(&tokens::hash(code))?;
        (handoff.started.elapsed() < HANDOFF_TIME).then_some(handoff)
    }

    /// Asks the provider for new tokens with a refresh token.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Option<String>, RefreshRefused> {
        let metadata = self.metadata().await.map_err(|e| RefreshRefused::Unreachable(e.to_string()))?;
        let token = openidconnect::RefreshToken::new(refresh_token.to_owned());
        let answer = self
            .client(metadata)
            .exchange_refresh_token(&token)
            .map_err(|e| RefreshRefused::Unreachable(format!("the provider names no token endpoint: {e}")))?
            .request_async(&self.inner.http)
            .await;
        match answer {
            Ok(answer) => Ok(answer.refresh_token().map(|t| t.secret().clone())),
            Err(RequestTokenError::ServerResponse(e)) => Err(RefreshRefused::Refused(e.to_string())),
            Err(e) => Err(RefreshRefused::Unreachable(chain(&e))),
        }
    }
}

/// What a refresh at the provider came to, when not new tokens.
#[derive(Debug)]
pub enum RefreshRefused {
    /// The provider said no: the person may no longer sign in.
    Refused(String),
    /// No answer; asked again later.
    Unreachable(String),
}

/// A sign-in the provider vouched for: the ID token's claims, checked.
pub struct VerifiedSignIn {
    pub claims: serde_json::Map<String, serde_json::Value>,
    pub refresh_token: Option<String>,
}

/// The claims of a token whose signature and claims were checked: the
/// JWT's middle part, so any claim can be read by its configured name.
fn payload(id_token: &CoreIdToken) -> Result<serde_json::Map<String, serde_json::Value>, SignInError> {
    use base64::Engine;
    let text = id_token.to_string();
    let part = text.split('.').nth(1).unwrap_or("");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| SignInError::Refused(format!("the ID token's claims are not base64url: {e}")))?;
    serde_json::from_slice(&bytes).map_err(|e| SignInError::Refused(format!("the ID token's claims are not JSON: {e}")))
}

fn claims_error(error: ClaimsVerificationError) -> SignInError {
    match error {
        ClaimsVerificationError::Expired(detail) => SignInError::ClockSkew(detail),
        ClaimsVerificationError::InvalidAudience(detail) => {
            SignInError::Refused(format!("the ID token is for another client: {detail}"))
        }
        ClaimsVerificationError::InvalidIssuer(detail) => {
            SignInError::Refused(format!("the ID token is from another issuer: {detail}"))
        }
        ClaimsVerificationError::InvalidNonce(detail) => {
            SignInError::Refused(format!("the ID token's nonce is not this sign-in's: {detail}"))
        }
        ClaimsVerificationError::SignatureVerification(e) => {
            SignInError::Refused(format!("the ID token's signature does not check out: {e}"))
        }
        other => SignInError::Refused(format!("the ID token was refused: {other}")),
    }
}

fn token_error<RE: std::error::Error + 'static, T: openidconnect::ErrorResponse + 'static>(
    doing: &str,
    error: &RequestTokenError<RE, T>,
) -> SignInError {
    match error {
        RequestTokenError::ServerResponse(e) => SignInError::Refused(format!("{doing}: the provider said {e}")),
        RequestTokenError::Request(_) => SignInError::Unreachable(format!("{doing}: {}", chain(error))),
        other => SignInError::Unreachable(format!("{doing}: {}", chain(other))),
    }
}

/// An error with its causes, for the log.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
