//! Building and running the server, so that tests can start the real thing
//! on port 0 with a fresh database.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::config::ServeConfig;
use crate::passwords::Passwords;
use crate::routes;
use crate::state::{AppState, PhoneRetention, SessionIdle};
use crate::store::backup::{BackupError, DatabaseLock};
use crate::store::projections;
use crate::store::{self, Db, OpenError};
use crate::sync::SyncHub;
use crate::telemetry;
use crate::throttle::LoginThrottle;
use crate::tls::{self, TlsError};
use axum_server::tls_rustls::RustlsConfig;
use metrics_exporter_prometheus::PrometheusHandle;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] OpenError),
    #[error(transparent)]
    Locked(#[from] BackupError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// A server with its database open and its port bound, not yet serving.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    state: AppState,
    config: ServeConfig,
    /// Held while serving: no restore, and no second server, on this file.
    _lock: DatabaseLock,
    /// The metrics address, bound, when `--metrics-listen` is given.
    metrics: Option<(TcpListener, PrometheusHandle)>,
    /// The certificate, when Innom serves HTTPS itself.
    tls: Option<RustlsConfig>,
    /// The plain-HTTP listener that redirects to HTTPS, when asked for.
    redirect: Option<TcpListener>,
}

impl Application {
    /// Opens and migrates the database, then binds the listener.
    pub async fn build(config: ServeConfig) -> Result<Self, StartupError> {
        // A server that is stopping (a restart) lets go within moments.
        let lock = DatabaseLock::acquire(&config.database.database, std::time::Duration::from_secs(10)).await?;
        let db = store::open(&config.database.database).await?;
        // After the upgrade that added the query tables, fill them once.
        if !projections::in_step(&db).await? {
            let projected = projections::rebuild(&db).await?;
            tracing::info!(projected, "query tables rebuilt from the documents");
        }
        let passwords = Passwords::new()?;
        let hub = SyncHub::start(db.clone()).await?;
        let addr = config.listen;
        let listener = TcpListener::bind(addr).await.map_err(|source| StartupError::Bind { addr, source })?;
        let metrics = match config.metrics_listen {
            Some(addr) => Some(telemetry::bind(addr).await?),
            None => None,
        };
        let tls = config.tls().map(tls::serve_and_reload).transpose()?;
        let redirect = match config.redirect_listen {
            Some(addr) => Some(TcpListener::bind(addr).await.map_err(|source| StartupError::Bind { addr, source })?),
            None => None,
        };
        let session_idle = SessionIdle(std::time::Duration::from_secs(config.session_idle_days * 24 * 3600));
        let phone_retention = PhoneRetention(config.phone_retention_months);
        let access_log = crate::access_log::AccessLog::new(db.clone(), hub.clone(), config.access_log_days);
        let provider = crate::oidc::Oidc::from_config(&config.oidc)?;
        let password = config.password_login == crate::config::Switch::On;
        if !password && provider.is_none() {
            return Err(anyhow::anyhow!("--password-login off needs --oidc-issuer: nobody could log in").into());
        }
        let sign_in = crate::state::SignIn {
            password,
            provider,
            public_url: config.public_url.as_ref().map(|u| u.trim_end_matches('/').to_owned()),
            over_tls: tls.is_some(),
            trusted_proxies: config.trusted_proxy.clone(),
        };
        let state = AppState {
            sign_in,
            access_log,
            db,
            passwords,
            hub,
            throttle: LoginThrottle::behind(&config.trusted_proxy),
            session_idle,
            phone_retention,
        };
        Ok(Self { listener, state, config, _lock: lock, metrics, tls, redirect })
    }

    /// The bound port (useful when the configured port was 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map_or(0, |a| a.port())
    }

    /// `https` when Innom serves TLS itself, else `http`.
    pub fn scheme(&self) -> &'static str {
        if self.tls.is_some() { "https" } else { "http" }
    }

    /// The bound address of the plain-HTTP redirect, when there is one.
    pub fn redirect_addr(&self) -> Option<SocketAddr> {
        self.redirect.as_ref().and_then(|listener| listener.local_addr().ok())
    }

    /// The bound metrics address, when metrics are served.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|(listener, _)| listener.local_addr().ok())
    }

    /// The bound address.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The database pool.
    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// The sync hub: the one writer, the change feed and the newest changes.
    pub fn hub(&self) -> &SyncHub {
        &self.state.hub
    }

    /// The password hasher.
    pub fn passwords(&self) -> &Passwords {
        &self.state.passwords
    }

    /// Serves until `shutdown` completes, then finishes open requests.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let timeout = std::time::Duration::from_secs(self.config.request_timeout);
        let over_tls = self.tls.is_some();
        let app = routes::app(self.state.clone(), self.config.static_dir.as_deref(), timeout, over_tls);
        let hub = self.state.hub.clone();
        self.state.access_log.clone().keep_trimmed();
        if let Some(provider) = self.state.sign_in.provider.clone() {
            let hub = hub.clone();
            provider.keep_checking(self.state.db.clone(), async move { hub.closed().await });
        }
        if let Some((listener, handle)) = self.metrics {
            let database = self.config.database.database.clone();
            telemetry::serve(listener, handle, self.state.db.clone(), database, hub.clone());
        }
        if let Some(listener) = self.redirect {
            let https_port = self.listener.local_addr()?.port();
            let hub = hub.clone();
            tokio::spawn(async move {
                let app = tls::redirect_app(https_port);
                if let Err(e) =
                    axum::serve(listener, app).with_graceful_shutdown(async move { hub.closed().await }).await
                {
                    tracing::error!("the HTTP redirect listener stopped: {e}");
                }
            });
        }
        // Event streams never end by themselves; end them so the graceful
        // shutdown can finish.
        let shutdown = {
            let hub = hub.clone();
            async move {
                shutdown.await;
                hub.close();
            }
        };
        // The peer address feeds the per-address login throttle.
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        match self.tls {
            Some(certificate) => {
                let handle = axum_server::Handle::new();
                let stopping = handle.clone();
                tokio::spawn(async move {
                    shutdown.await;
                    stopping.graceful_shutdown(Some(timeout));
                });
                axum_server::from_tcp_rustls(self.listener.into_std()?, certificate)?.handle(handle).serve(app).await?;
            }
            None => axum::serve(self.listener, app).with_graceful_shutdown(shutdown).await?,
        }
        self.state.db.close().await;
        Ok(())
    }
}
