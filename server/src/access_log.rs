//! The access log, for the data protection officer's question "who has
//! seen this participant": each time a participant's records leave the
//! server — sent to a device by sync, shown in an office view, put in an
//! export — the server notes who, which participant, how, and on which
//! day (UTC). One row per reader, participant, channel and day
//! (`store::access_log`); the rows written today are remembered, so only a
//! day's first delivery writes. The note is written before the answer goes
//! out: if it cannot be, the request fails rather than go unlogged.

use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use innom_shared::values::DocId;

use crate::store::{Db, access_log, now_millis};
use crate::sync::SyncHub;

/// How a participant's records left the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Sent to a device (a phone, the mentor's app) by sync.
    Sync,
    /// Shown in one of the office's views.
    Office,
    /// Put in a file: a CSV export, a participant's data export.
    Export,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sync => "sync",
            Self::Office => "office",
            Self::Export => "export",
        }
    }
}

/// The log, and how long it is kept. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AccessLog {
    db: Db,
    hub: SyncHub,
    written: Arc<Mutex<Written>>,
    keep_days: u32,
}

/// The rows already written today.
#[derive(Debug, Default)]
struct Written {
    day: String,
    rows: HashSet<(String, DocId, Channel)>,
}

impl AccessLog {
    /// The log in `db`, kept for `keep_days` days; `hub` knows which
    /// participants each record is about.
    pub fn new(db: Db, hub: SyncHub, keep_days: u32) -> Self {
        Self { db, hub, written: Arc::default(), keep_days }
    }

    fn written(&self) -> std::sync::MutexGuard<'_, Written> {
        self.written.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Notes that `reader` was given the records `ids` (of any kind) by
    /// `channel`: the participants they are about.
    pub async fn records(
        &self,
        reader: &str,
        channel: Channel,
        ids: impl IntoIterator<Item = DocId>,
    ) -> anyhow::Result<()> {
        let participants = self.hub.participants_of(ids);
        self.participants(reader, channel, participants).await
    }

    /// Notes that `reader` was given these participants' records by `channel`.
    pub async fn participants(
        &self,
        reader: &str,
        channel: Channel,
        participants: impl IntoIterator<Item = DocId>,
    ) -> anyhow::Result<()> {
        let day = time::OffsetDateTime::now_utc().date().to_string();
        let new: Vec<DocId> = {
            let mut written = self.written();
            if written.day != day {
                *written = Written { day: day.clone(), rows: HashSet::new() };
            }
            let unique: BTreeSet<DocId> = participants.into_iter().collect();
            unique.into_iter().filter(|p| !written.rows.contains(&(reader.to_owned(), *p, channel))).collect()
        };
        if new.is_empty() {
            return Ok(());
        }
        access_log::record(&self.db, &day, reader, channel.as_str(), &new, now_millis()).await?;
        let mut written = self.written();
        if written.day == day {
            written.rows.extend(new.into_iter().map(|p| (reader.to_owned(), p, channel)));
        }
        Ok(())
    }

    /// Removes the rows older than the retention; returns how many.
    pub async fn remove_expired(&self) -> anyhow::Result<u64> {
        let today = time::OffsetDateTime::now_utc().date();
        let cutoff = today.saturating_sub(time::Duration::days(i64::from(self.keep_days)));
        Ok(access_log::remove_before(&self.db, &cutoff.to_string()).await?)
    }

    /// Removes expired rows now and then every hour, until the server stops.
    pub fn keep_trimmed(self) {
        tokio::spawn(async move {
            let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tokio::select! {
                    _ = every_hour.tick() => {}
                    () = self.hub.closed() => return,
                }
                match self.remove_expired().await {
                    Ok(0) => {}
                    Ok(removed) => tracing::info!(removed, days = self.keep_days, "old access log rows removed"),
                    Err(e) => tracing::error!(error = format!("{e:#}"), "removing old access log rows failed"),
                }
            }
        });
    }
}
