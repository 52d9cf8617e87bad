//! Asks the provider, every `--oidc-recheck-seconds`, whether each person
//! signed in through it may still sign in (a refresh with the session's
//! refresh token). When the provider says no — the person was switched off
//! there — their device session ends, and the next sync answers
//! `401 unauthorized`; the phone keeps what it has not sent. When the
//! provider cannot be reached, sessions go on and are asked about later.

use std::time::Duration;

use super::{Oidc, RefreshRefused};
use crate::store::{Db, sessions};

impl Oidc {
    /// Runs the checks until `closed` resolves.
    pub fn keep_checking(self, db: Db, closed: impl Future<Output = ()> + Send + 'static) {
        let every = self.inner.recheck;
        tokio::spawn(async move {
            let checks = async {
                let mut tick = tokio::time::interval(every.min(Duration::from_secs(60)));
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    if let Err(e) = self.check_due(&db).await {
                        tracing::error!("checking sessions with the identity provider failed: {e:#}");
                    }
                }
            };
            tokio::select! {
                () = checks => {}
                () = closed => {}
            }
        });
    }

    /// Checks every session not asked about for `--oidc-recheck-seconds`.
    pub async fn check_due(&self, db: &Db) -> anyhow::Result<()> {
        let every_ms = i64::try_from(self.inner.recheck.as_millis()).unwrap_or(i64::MAX);
        for due in sessions::due_for_provider_check(db, every_ms).await? {
            match self.refresh(&due.refresh_token).await {
                Ok(rotated) => sessions::provider_checked(db, due.session_id, rotated.as_deref()).await?,
                Err(RefreshRefused::Refused(reason)) => {
                    sessions::revoke(db, due.session_id).await?;
                    tracing::warn!(
                        user = %due.username,
                        session_id = due.session_id,
                        cause = "refused_by_provider",
                        "the identity provider no longer accepts this person ({reason}); their device session ended"
                    );
                }
                Err(RefreshRefused::Unreachable(reason)) => {
                    tracing::warn!(
                        session_id = due.session_id,
                        cause = "provider_unreachable",
                        "could not ask the identity provider about a session; asking again later: {reason}"
                    );
                    break;
                }
            }
        }
        Ok(())
    }
}
