//! The sync engine: the phone's records (in memory and in IndexedDB) and
//! the loop that exchanges them with the server. It runs at start, when
//! the browser comes online, when the server's event stream says the change
//! feed moved, on demand, and periodically — every 30 s when things go
//! well, backing off with jitter to 2 minutes while they do not.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use automerge::ChangeHash;

use innom_shared::records::Record;
use innom_shared::sync::{DeviceSync, LocalDoc, RecordSyncState};
use innom_shared::validation::ValidationErrors;
use innom_shared::values::{Date, DocId};
use innom_shared::{document, sync::AnyRecord};
use yew::Callback;

use super::api::{self, ApiError};
use super::local_store::{LocalStore, Position, StoreError};
use super::storage;
use crate::i18n::{self, Lang, Text};

/// The loop's pace.
const INTERVAL_MS: u32 = 30_000;
const FIRST_RETRY_MS: u32 = 2_000;
const MAX_BACKOFF_MS: u32 = 120_000;
/// How long after the records open [`SyncEngine::warm_up_save`] runs.
const WARM_UP_AFTER_MS: u32 = 1_000;

/// What the sync panel shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncStatus {
    pub syncing: bool,
    /// When the last sync succeeded (ms since the epoch).
    pub last_success: Option<f64>,
    /// Why the last sync failed, if it did.
    pub last_error: Option<SyncFailure>,
    /// Records not yet confirmed by the server.
    pub unconfirmed: usize,
}

/// Why a sync did not complete.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncFailure {
    Offline,
    /// No session, or the server no longer accepts it (expired, revoked,
    /// user disabled). The records stay on the phone.
    LoggedOut,
    /// An administrator revoked this phone's session with "wipe".
    Wiped,
    Server(String),
}

/// Why a save failed.
#[derive(Debug)]
pub enum SaveError {
    Invalid(ValidationErrors),
    Storage(StoreError),
    /// The record is no longer on the phone (erased, or retired after
    /// its retention time) or cannot be read.
    Gone,
}

impl SaveError {
    /// What to tell the person, in `lang`; a storage failure is also
    /// logged to the console with its cause.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Invalid(errors) => {
                format!("{} {}", i18n::t(lang, Text::InvalidForm), i18n::describe_invalid(lang, errors))
            }
            Self::Storage(e) => {
                web_sys::console::error_1(&format!("saving on the phone: {e}").into());
                i18n::t(lang, Text::StorageFailed).to_owned()
            }
            Self::Gone => i18n::t(lang, Text::RecordGone).to_owned(),
        }
    }
}

/// One record as the interface lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub id: DocId,
    pub record: AnyRecord,
    pub state: RecordSyncState,
}

/// Shared by every page through a context; cheap to clone (an `Rc`).
#[derive(Debug)]
pub struct SyncEngine {
    device: RefCell<DeviceSync>,
    store: LocalStore,
    token: RefCell<Option<String>>,
    status: RefCell<SyncStatus>,
    running: Cell<bool>,
    backoff_ms: Cell<u32>,
    /// Tells the interface that records or status changed.
    on_change: Callback<()>,
    /// Told when the server refuses the session: `true` if the phone must
    /// wipe its data, `false` if the user must just log in again.
    on_session_end: RefCell<Option<Callback<bool>>>,
    /// The cutoff and cursor of the last retention pass: nothing can be
    /// newly retired until one of them moves.
    retention_checked: Cell<Option<(Date, u64)>>,
    /// Each record as last read, with the document's heads then. Pages
    /// render from `records()` again and again; reading (hydrating) every
    /// document each time made a save slow on a phone, so only documents
    /// whose heads moved are read again.
    hydrated: RefCell<HashMap<DocId, (Vec<ChangeHash>, AnyRecord)>>,
    /// The IndexedDB database's name, which also keys the time of the last
    /// sync in localStorage.
    database: String,
}

impl SyncEngine {
    /// Opens the phone's storage (the IndexedDB database `database`) and
    /// loads every record from it.
    pub async fn open(database: &str, on_change: Callback<()>) -> Result<Rc<Self>, StoreError> {
        let store = LocalStore::open(database).await?;
        let device = store.load().await?;
        let status = SyncStatus { last_success: storage::load_last_sync(database), ..SyncStatus::default() };
        let engine = Rc::new(Self {
            device: RefCell::new(device),
            store,
            database: database.to_owned(),
            token: RefCell::new(None),
            status: RefCell::new(status),
            running: Cell::new(false),
            backoff_ms: Cell::new(INTERVAL_MS),
            on_change,
            on_session_end: RefCell::new(None),
            retention_checked: Cell::new(None),
            hydrated: RefCell::new(HashMap::new()),
        });
        engine.refresh_unconfirmed();
        Ok(engine)
    }

    /// Sets the session token used for syncing (`None` after logout).
    pub fn set_token(&self, token: Option<String>) {
        *self.token.borrow_mut() = token;
    }

    /// What to do when the server refuses the session (see the field).
    pub fn on_session_end(&self, callback: Callback<bool>) {
        *self.on_session_end.borrow_mut() = Some(callback);
    }

    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    fn refresh_unconfirmed(&self) {
        let mut device = self.device.borrow_mut();
        let ids: Vec<DocId> = device.docs.keys().copied().collect();
        let unconfirmed = ids.into_iter().filter(|id| device.state(*id) != Some(RecordSyncState::Confirmed)).count();
        self.status.borrow_mut().unconfirmed = unconfirmed;
    }

    /// Every readable record on the phone with its sync state, also one
    /// whose merge breaks a rule (the server refused it; its badge says why).
    pub fn records(&self) -> Vec<Listed> {
        let mut device = self.device.borrow_mut();
        let mut hydrated = self.hydrated.borrow_mut();
        hydrated.retain(|id, _| device.docs.contains_key(id));
        let ids: Vec<DocId> = device.docs.keys().copied().collect();
        ids.into_iter()
            .filter_map(|id| {
                let doc = &mut device.docs.get_mut(&id)?.doc;
                let heads = doc.get_heads();
                let record = match hydrated.get(&id) {
                    Some((read_at, record)) if *read_at == heads => record.clone(),
                    _ => {
                        let record = AnyRecord::hydrate(doc.document()).ok()?;
                        hydrated.insert(id, (heads, record.clone()));
                        record
                    }
                };
                let state = device.state(id)?;
                Some(Listed { id, record, state })
            })
            .collect()
    }

    /// Validates and stores a new or edited record on the phone. Returns
    /// once it is in IndexedDB; syncing happens afterwards.
    pub async fn save<R: Record + Into<AnyRecord>>(self: &Rc<Self>, record: &R) -> Result<(), SaveError> {
        record.validate().map_err(SaveError::Invalid)?;
        let id = record.header().id;
        let bytes = {
            let mut device = self.device.borrow_mut();
            match device.doc_mut(id) {
                Some(doc) => document::write(doc, record).map_err(|e| SaveError::Storage(StoreError(e.to_string())))?,
                None => {
                    let doc = document::create(record).map_err(|e| SaveError::Storage(StoreError(e.to_string())))?;
                    device.insert_local(id, doc);
                }
            }
            let Some(local) = device.docs.get_mut(&id) else { return Err(SaveError::Gone) };
            // The document now reads back as `record` (the round trip the
            // shared crate's property test proves), so the next page drawn
            // need not hydrate it again: that is most of a visit's redraw.
            let heads = local.doc.get_heads();
            self.hydrated.borrow_mut().insert(id, (heads, record.clone().into()));
            local.to_bytes()
        };
        self.stored(id, bytes).await
    }

    /// Answers the office's question on a mentor's feedback: `review.answer`
    /// set and `review.state` back to `unreviewed`, as two writes to the
    /// document's `review` map. Feedback is the mentor's and this is the
    /// only thing the phone writes in it; going through `save` would put
    /// the whole feedback record's reconcile code into the download.
    pub async fn answer_feedback(self: &Rc<Self>, id: DocId, answer: &str) -> Result<(), SaveError> {
        use automerge::transaction::Transactable;
        use automerge::{ObjType, ReadDoc, Value};
        use innom_shared::validation::{FieldError, Problem, limits};

        let answer = answer.trim();
        if answer.is_empty() || answer.chars().count() > limits::NOTE {
            let problem = if answer.is_empty() { Problem::Required } else { Problem::TooLong { max: limits::NOTE } };
            return Err(SaveError::Invalid(ValidationErrors(vec![FieldError {
                field: "review.answer".into(),
                problem,
            }])));
        }
        let bytes = {
            let mut device = self.device.borrow_mut();
            let doc = device.doc_mut(id).ok_or(SaveError::Gone)?;
            let review = match doc.get(automerge::ROOT, "review") {
                Ok(Some((Value::Object(ObjType::Map), review))) => review,
                _ => return Err(SaveError::Gone),
            };
            let written = doc.put(&review, "answer", answer).and_then(|()| doc.put(&review, "state", "unreviewed"));
            written.map_err(|e| SaveError::Storage(StoreError(e.to_string())))?;
            device.docs.get_mut(&id).ok_or(SaveError::Gone)?.to_bytes()
        };
        self.stored(id, bytes).await
    }

    /// After a record `id` changed on the phone: keeps `bytes` in IndexedDB,
    /// tells the pages, and syncs.
    async fn stored(self: &Rc<Self>, id: DocId, bytes: Vec<u8>) -> Result<(), SaveError> {
        self.store.save(&[(id, bytes)], &[], None).await.map_err(SaveError::Storage)?;
        self.refresh_unconfirmed();
        self.on_change.emit(());
        let engine = self.clone();
        wasm_bindgen_futures::spawn_local(async move { engine.sync_now().await });
        Ok(())
    }

    /// In a second, does the work of saving `sample` as a new record, short
    /// of storing it: a new Automerge document, reconciled and encoded for
    /// IndexedDB. The browser compiles a wasm function when it is first
    /// called, so the first save after the app starts was twice as slow as
    /// the next (about 100 ms against 45 with the CPU slowed 4×); the apps
    /// call this once their records are open, so that the first tap on
    /// "Lagre" finds that code compiled. The second keeps it out of the
    /// app's start.
    pub fn warm_up_save<R: Record + 'static>(&self, sample: R) {
        wasm_bindgen_futures::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(WARM_UP_AFTER_MS).await;
            if let Ok(doc) = document::create(&sample) {
                let _ = LocalDoc::new(doc).to_bytes();
            }
        });
    }

    /// Changes the record `id` as it is on the phone now, then saves it
    /// like [`SyncEngine::save`]. A page's copy of a record is from its
    /// last render; a sync may have merged someone else's edit since, and
    /// saving that copy would write their edit back out.
    pub async fn update<R: Record + Into<AnyRecord> + TryFrom<AnyRecord>>(
        self: &Rc<Self>,
        id: DocId,
        change: impl FnOnce(&mut R),
    ) -> Result<(), SaveError> {
        let mut edited = {
            let mut device = self.device.borrow_mut();
            let local = device.docs.get_mut(&id).ok_or(SaveError::Gone)?;
            // Read as any record, as the lists do, rather than as `R`:
            // hydrating is generic, so reading as `R` compiled each kind's
            // hydrate code a second time (about 1 KB of brotli download).
            let record = AnyRecord::read(local.doc.document()).map_err(|_| SaveError::Gone)?;
            R::try_from(record).map_err(|_| SaveError::Gone)?
        };
        change(&mut edited);
        self.save(&edited).await
    }

    /// One sync, unless one is running already.
    pub async fn sync_now(self: &Rc<Self>) {
        if self.running.replace(true) {
            return;
        }
        self.status.borrow_mut().syncing = true;
        self.on_change.emit(());
        let outcome = self.sync_until_done().await;
        {
            let mut status = self.status.borrow_mut();
            status.syncing = false;
            match outcome {
                Ok(()) => {
                    let now = js_sys::Date::now();
                    status.last_success = Some(now);
                    storage::save_last_sync(&self.database, now);
                    status.last_error = None;
                    self.backoff_ms.set(INTERVAL_MS);
                }
                Err(failure) => {
                    status.last_error = Some(failure);
                    // After a success the wait is INTERVAL_MS; the first
                    // failure retries soon, then the wait doubles.
                    let next = match self.backoff_ms.get() {
                        INTERVAL_MS => FIRST_RETRY_MS,
                        wait => wait.saturating_mul(2),
                    };
                    self.backoff_ms.set(next.min(MAX_BACKOFF_MS));
                }
            }
        }
        self.running.set(false);
        self.refresh_unconfirmed();
        self.on_change.emit(());
    }

    async fn sync_until_done(&self) -> Result<(), SyncFailure> {
        let Some(token) = self.token.borrow().clone() else { return Err(SyncFailure::LoggedOut) };
        // With the browser offline, a request cannot leave the phone: do
        // not start one, so records never show as "sent" while it fails.
        // The `online` event starts a sync as soon as coverage is back.
        if !gloo::utils::window().navigator().on_line() {
            return Err(SyncFailure::Offline);
        }
        let retire_before = loop {
            let request = self.device.borrow_mut().request();
            let response = api::sync(&token, &request).await;
            if response.is_err() {
                self.device.borrow_mut().no_reply();
            }
            let response = response.map_err(|e| match e {
                ApiError::Network(_) => SyncFailure::Offline,
                ApiError::Unauthorized(body) => {
                    let wiped = body.error == "wiped";
                    *self.token.borrow_mut() = None;
                    if let Some(callback) = self.on_session_end.borrow().as_ref() {
                        callback.emit(wiped);
                    }
                    if wiped { SyncFailure::Wiped } else { SyncFailure::LoggedOut }
                }
                other => SyncFailure::Server(other.to_string()),
            })?;
            let mut erased = DeviceSync::erased_by(&response);
            let (docs, cursor) = {
                let mut device = self.device.borrow_mut();
                device.receive(&response).map_err(|e| SyncFailure::Server(e.to_string()))?;
                // No longer for this phone (a handover, a team change).
                erased.extend_from_slice(&device.out_of_scope);
                // In id order, each once. Inserted one by one: collecting
                // would sort, and compile one more copy of the sort.
                let mut touched = BTreeSet::new();
                for id in response.results.iter().map(|r| &r.id).chain(response.pull.iter().map(|p| &p.id)) {
                    touched.insert(innom_shared::sync::wire::doc_id(id));
                }
                // After a reset (a restored server) every record's
                // acknowledgement changed: keep them all.
                if response.reset {
                    for id in device.docs.keys() {
                        touched.insert(*id);
                    }
                }
                let docs: Vec<(DocId, Vec<u8>)> = touched
                    .into_iter()
                    .filter_map(|id| device.docs.get_mut(&id).map(|local| (id, local.to_bytes())))
                    .collect();
                (docs, Position::of(&device))
            };
            self.store.save(&docs, &erased, Some(cursor)).await.map_err(|e| SyncFailure::Server(e.to_string()))?;
            if !response.more && !self.device.borrow().held_back {
                break response.retire_before.as_deref().and_then(Date::parse);
            }
        };
        if let Some(cutoff) = retire_before {
            self.retire(cutoff).await.map_err(|e| SyncFailure::Server(e.to_string()))?;
        }
        Ok(())
    }

    /// Drops the records of placements that ended before `cutoff` (the
    /// server's retention rule for field devices).
    async fn retire(&self, cutoff: Date) -> Result<(), StoreError> {
        let (dropped, retired) = {
            let mut device = self.device.borrow_mut();
            if self.retention_checked.get() == Some((cutoff, device.cursor)) {
                return Ok(());
            }
            let dropped = device.retire(cutoff);
            (dropped, device.retired.clone())
        };
        if !dropped.is_empty() {
            self.store.retire(&dropped, &retired).await?;
        }
        self.retention_checked.set(Some((cutoff, self.device.borrow().cursor)));
        Ok(())
    }

    /// Runs forever: syncs, then waits (less after success, more after failure).
    pub async fn run(self: Rc<Self>) {
        loop {
            self.sync_now().await;
            let jitter = (js_sys::Math::random() * 0.2 * f64::from(self.backoff_ms.get())) as u32;
            gloo_timers::future::TimeoutFuture::new(self.backoff_ms.get() + jitter).await;
        }
    }

    /// Follows the server's event stream and syncs whenever the change feed
    /// moves past this phone's cursor. Reconnects after a pause when the
    /// stream ends or cannot be opened (offline, logged out).
    pub async fn follow_events(self: Rc<Self>) {
        loop {
            let token = self.token.borrow().clone();
            if let Some(token) = token
                && let Err(e) = self.read_events(&token).await
            {
                web_sys::console::debug_1(&format!("event stream closed: {e}").into());
            }
            let pause = 5_000 + (js_sys::Math::random() * 5_000.0) as u32;
            gloo_timers::future::TimeoutFuture::new(pause).await;
        }
    }

    async fn read_events(self: &Rc<Self>, token: &str) -> Result<(), String> {
        api::read_events(token, |seq| {
            if seq > self.device.borrow().cursor {
                let engine = self.clone();
                wasm_bindgen_futures::spawn_local(async move { engine.sync_now().await });
            }
        })
        .await
    }

    /// Whether anything on the phone is not yet confirmed by the server.
    pub fn has_unconfirmed(&self) -> bool {
        self.device.borrow_mut().has_unconfirmed()
    }

    /// Forgets every record on the phone (at logout).
    pub async fn forget_everything(&self) -> Result<(), StoreError> {
        self.store.clear().await?;
        *self.device.borrow_mut() = DeviceSync::default();
        self.refresh_unconfirmed();
        self.on_change.emit(());
        Ok(())
    }
}
