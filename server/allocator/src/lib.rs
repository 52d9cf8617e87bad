//! The server's memory allocator: mimalloc, told to hand freed memory back
//! to the system 30 ms after it is freed instead of its default 1 s.
//!
//! Why: a burst of work (fifty phones signing in, each password hash
//! taking 19 MiB; a thousand records merged at once) frees memory that
//! mimalloc kept for a second, long enough for the next burst to be
//! allocated beside it. Fifty phones editing peaked at 126 MiB; at 30 ms,
//! 79–87 MiB. Shorter still (10 ms) saved little memory and cost a tenth
//! more CPU in page faults (docs/PERFORMANCE.md).

use std::os::raw::c_long;

pub use mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mimalloc.h` (version 3): how
/// long freed memory is kept before it goes back to the system. (The
/// `libmimalloc-sys` crate names only the options versions 2 and 3 share.)
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The environment variable through which mimalloc reads the same option.
pub const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// How long freed memory is kept, in milliseconds.
pub const PURGE_DELAY_MS: c_long = 30;

/// Sets the purge delay to [`PURGE_DELAY_MS`], unless the operator set
/// `MIMALLOC_PURGE_DELAY` (mimalloc then reads theirs). Call it first
/// thing in `main`.
pub fn return_freed_memory_promptly() {
    if std::env::var_os(PURGE_DELAY_VARIABLE).is_none() {
        set_purge_delay(PURGE_DELAY_MS);
    }
}

/// mimalloc's purge delay now, in milliseconds.
pub fn purge_delay_ms() -> c_long {
    // SAFETY: `mi_option_get` reads one entry of mimalloc's option table
    // (initialising it from the environment the first time); any thread
    // may call it at any time, and `PURGE_DELAY` is a valid option.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_get(PURGE_DELAY)
    }
}

fn set_purge_delay(ms: c_long) {
    // SAFETY: `mi_option_set` stores one value in mimalloc's option table,
    // which mimalloc reads each time it schedules a purge; any thread may
    // call it at any time, and `PURGE_DELAY` is a valid option.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[global_allocator]
    static ALLOCATOR: MiMalloc = MiMalloc;

    /// Option 15 is the purge delay: it starts at mimalloc's default for
    /// it (1,000 ms; no other option has that default) and takes ours.
    #[test]
    fn the_purge_delay_is_the_option_set() {
        if std::env::var_os(PURGE_DELAY_VARIABLE).is_some() {
            return;
        }
        assert_eq!(purge_delay_ms(), 1_000, "option 15 is not mimalloc's purge delay");
        return_freed_memory_promptly();
        assert_eq!(purge_delay_ms(), PURGE_DELAY_MS);
    }
}
