//! The sync engine, shared through a context once IndexedDB is open.

use std::rc::Rc;

use yew::prelude::*;

use crate::services::sync::SyncEngine;

/// The engine (once open) and a version that changes with every update,
/// so components that read records re-render.
#[derive(Debug, Clone)]
pub struct SyncContext {
    pub engine: Option<Rc<SyncEngine>>,
    pub version: u32,
}

impl PartialEq for SyncContext {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && match (&self.engine, &other.engine) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

#[hook]
pub fn use_sync() -> SyncContext {
    use_context::<SyncContext>().unwrap_or(SyncContext { engine: None, version: 0 })
}
