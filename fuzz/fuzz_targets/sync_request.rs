//! The sync request decoder on arbitrary bytes: it must return an error or
//! a request, never panic, hang or allocate without bound; and a request it
//! accepts must encode back to the same bytes' meaning.

#![no_main]

use innom_shared::sync::wire::SyncRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(request) = SyncRequest::decode(bytes) {
        let _ = request.over_limits();
        let again = SyncRequest::decode(&request.encode()).expect("a decoded request encodes to a valid one");
        assert_eq!(again, request);
    }
});
