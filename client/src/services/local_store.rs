//! The records kept on the phone, in IndexedDB: one entry per document
//! (its bytes, acknowledged heads and any rejection) and the sync cursor.
//! Everything is written before the interface says "saved".

use std::collections::BTreeSet;

use innom_shared::sync::DeviceSync;
use innom_shared::sync::device::LocalDoc;
use innom_shared::values::DocId;
use js_sys::Uint8Array;
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

const DOCS: &str = "docs";
const META: &str = "meta";
const CURSOR_KEY: &str = "cursor";
/// Present while a bootstrap is part way: the cursor is then only good for
/// more snapshots (see `docs/SYNC.md`).
const BOOTSTRAPPING_KEY: &str = "bootstrapping";
/// The ids of records dropped under the retention rule, so that changes
/// pulled for them later are ignored (`DeviceSync::retired`).
const RETIRED_KEY: &str = "retired";
/// The server's log the cursor counts in (`DeviceSync::log`).
const LOG_KEY: &str = "log";
/// Present while a changed scope's bootstrap is part way: the records it
/// has brought so far (`DeviceSync::rescoping`), so that an app closed
/// between its pages still drops, at the last page, what was not brought.
const RESCOPING_KEY: &str = "rescoping";

/// Where the phone is in the server's change log.
#[derive(Debug, Clone)]
pub struct Position {
    pub cursor: u64,
    pub bootstrapping: bool,
    pub log: Option<[u8; 8]>,
    pub rescoping: Option<js_sys::Array>,
}

impl Position {
    pub fn of(device: &DeviceSync) -> Self {
        Self {
            cursor: device.cursor,
            bootstrapping: device.bootstrapping,
            log: device.log.map(|log| *log),
            rescoping: device.rescoping.as_ref().map(ids_array),
        }
    }
}

/// Record ids as a JS array of their strings, as the meta store keeps them.
fn ids_array(ids: &BTreeSet<DocId>) -> js_sys::Array {
    ids.iter().map(|id| JsValue::from_str(&id.to_string())).collect()
}

/// The ids kept by [`ids_array`].
fn ids_from(value: &JsValue) -> BTreeSet<DocId> {
    js_sys::Array::from(value).iter().filter_map(|id| id.as_string().and_then(|id| DocId::parse(&id))).collect()
}

/// Why the phone's storage failed.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "local storage failed: {}", self.0)
    }
}

impl From<rexie::Error> for StoreError {
    fn from(e: rexie::Error) -> Self {
        Self(e.to_string())
    }
}

/// The IndexedDB database.
#[derive(Debug)]
pub struct LocalStore {
    db: Rexie,
}

impl LocalStore {
    /// Opens (or creates) the database `name`: the advisor's app and the
    /// mentor's app each have their own.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let db = Rexie::builder(name)
            .version(1)
            .add_object_store(ObjectStore::new(DOCS))
            .add_object_store(ObjectStore::new(META))
            .build()
            .await?;
        Ok(Self { db })
    }

    /// Everything kept on the phone. An unreadable entry is skipped (and
    /// reported on the console) rather than blocking the rest.
    pub async fn load(&self) -> Result<DeviceSync, StoreError> {
        let tx = self.db.transaction(&[DOCS, META], TransactionMode::ReadOnly)?;
        let entries = tx.store(DOCS)?.scan(None, None, None, None).await?;
        let cursor = tx.store(META)?.get(JsValue::from_str(CURSOR_KEY)).await?;
        let bootstrapping = tx.store(META)?.get(JsValue::from_str(BOOTSTRAPPING_KEY)).await?;
        let retired = tx.store(META)?.get(JsValue::from_str(RETIRED_KEY)).await?;
        let log = tx.store(META)?.get(JsValue::from_str(LOG_KEY)).await?;
        let rescoping = tx.store(META)?.get(JsValue::from_str(RESCOPING_KEY)).await?;
        let mut device = DeviceSync::default();
        for (key, value) in entries {
            let id = key.as_string().and_then(|k| DocId::parse(&k));
            let bytes = Uint8Array::new(&value).to_vec();
            match (id, LocalDoc::from_bytes(&bytes)) {
                (Some(id), Ok(local)) => {
                    device.docs.insert(id, local);
                }
                (_, Err(e)) => web_sys::console::error_1(&format!("skipping a stored document: {e}").into()),
                (None, _) => web_sys::console::error_1(&"skipping a stored document with a bad key".into()),
            }
        }
        device.cursor = cursor.and_then(|c| c.as_f64()).map_or(0, |c| c as u64);
        device.bootstrapping = bootstrapping.and_then(|b| b.as_bool()).unwrap_or(false);
        device.log = log.and_then(|log| <[u8; 8]>::try_from(Uint8Array::new(&log).to_vec()).ok()).map(Into::into);
        if let Some(retired) = retired {
            device.retired = ids_from(&retired);
        }
        device.rescoping = rescoping.as_ref().map(ids_from);
        Ok(device)
    }

    /// Writes the given documents and, after a sync, the log position in
    /// one transaction, and deletes the `erased` ones. A local edit passes
    /// no position: it does not move in the log, and one write fewer is
    /// sooner "saved on this phone".
    pub async fn save(
        &self,
        docs: &[(DocId, Vec<u8>)],
        erased: &[DocId],
        position: Option<Position>,
    ) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[DOCS, META], TransactionMode::ReadWrite)?;
        let store = tx.store(DOCS)?;
        for (id, bytes) in docs {
            let value = Uint8Array::from(bytes.as_slice());
            store.put(&value, Some(&JsValue::from_str(&id.to_string()))).await?;
        }
        for id in erased {
            store.delete(JsValue::from_str(&id.to_string())).await?;
        }
        if let Some(position) = position {
            let meta = tx.store(META)?;
            meta.put(&JsValue::from_f64(position.cursor as f64), Some(&JsValue::from_str(CURSOR_KEY))).await?;
            meta.put(&JsValue::from_bool(position.bootstrapping), Some(&JsValue::from_str(BOOTSTRAPPING_KEY))).await?;
            if let Some(log) = position.log {
                meta.put(&Uint8Array::from(log.as_slice()), Some(&JsValue::from_str(LOG_KEY))).await?;
            }
            match &position.rescoping {
                Some(ids) => drop(meta.put(ids, Some(&JsValue::from_str(RESCOPING_KEY))).await?),
                None => meta.delete(JsValue::from_str(RESCOPING_KEY)).await?,
            }
        }
        tx.done().await?;
        Ok(())
    }

    /// Deletes the `dropped` records and writes down every record retired
    /// so far (`retired`), in one transaction.
    pub async fn retire(&self, dropped: &[DocId], retired: &BTreeSet<DocId>) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[DOCS, META], TransactionMode::ReadWrite)?;
        let store = tx.store(DOCS)?;
        for id in dropped {
            store.delete(JsValue::from_str(&id.to_string())).await?;
        }
        tx.store(META)?.put(&ids_array(retired), Some(&JsValue::from_str(RETIRED_KEY))).await?;
        tx.done().await?;
        Ok(())
    }

    /// Forgets everything on the phone (at logout).
    pub async fn clear(&self) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[DOCS, META], TransactionMode::ReadWrite)?;
        tx.store(DOCS)?.clear().await?;
        tx.store(META)?.clear().await?;
        tx.done().await?;
        Ok(())
    }
}
