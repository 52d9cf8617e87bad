//! The sync messages, encoded as CBOR (RFC 8949) maps with small integer
//! keys. Change bytes travel as CBOR byte strings, so nothing is inflated
//! by base64. `docs/SYNC.md` describes every field for other clients.

use minicbor::bytes::{ByteArray, ByteVec};
use minicbor::{Decode, Encode};

use crate::values::{DocId, string_enum};

/// The wire format version this build speaks.
pub const WIRE_VERSION: u32 = 1;

/// The media type of sync requests and responses.
pub const MEDIA_TYPE: &str = "application/cbor";

/// At most this many documents in one push; a device with more sends
/// them over several round trips.
pub const MAX_DOCS_PER_PUSH: usize = 1_000;
/// At most this many changes, over all documents, in one push.
pub const MAX_CHANGES_PER_PUSH: usize = 20_000;

/// A document id on the wire: the UUID's 16 bytes.
pub type WireId = ByteArray<16>;
/// A change hash on the wire: 32 bytes of SHA-256.
pub type WireHash = ByteArray<32>;
/// Which change log a cursor counts in: 8 random bytes a database is
/// given when it is made, and a new one when it is restored from a backup.
pub type LogId = ByteArray<8>;

/// One round trip: push local changes, pull everything after `cursor`.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[cbor(map)]
pub struct SyncRequest {
    #[n(0)]
    pub version: u32,
    /// The last change-log position this device has applied; 0 for a new
    /// device, which is then sent snapshots instead of history.
    #[n(1)]
    pub cursor: u64,
    #[n(2)]
    pub push: Vec<PushedDoc>,
    /// The device is part way through a bootstrap: send the next page of
    /// snapshots after `cursor`, not changes.
    #[n(3)]
    #[cbor(default)]
    pub snapshots: bool,
    /// The log `cursor` counts in, as the server last named it; none
    /// before the first reply.
    #[n(4)]
    #[cbor(default)]
    pub log: Option<LogId>,
}

/// The changes of one document the server may not have yet.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[cbor(map)]
pub struct PushedDoc {
    #[n(0)]
    pub id: WireId,
    /// Each item is one Automerge change chunk, exactly as produced by
    /// `Change::raw_bytes`.
    #[n(1)]
    pub changes: Vec<ByteVec>,
}

/// The server's answer.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[cbor(map)]
pub struct SyncResponse {
    #[n(0)]
    pub version: u32,
    /// One result per pushed document, in the order pushed.
    #[n(1)]
    pub results: Vec<PushResult>,
    /// Changes and snapshots after the request's cursor.
    #[n(2)]
    pub pull: Vec<PulledDoc>,
    /// The position to send next time.
    #[n(3)]
    pub cursor: u64,
    /// More is waiting after `cursor`: sync again at once.
    #[n(4)]
    pub more: bool,
    /// This reply is a page of snapshots; if `more`, ask for the next page
    /// with `snapshots` set.
    #[n(5)]
    #[cbor(default)]
    pub snapshots: bool,
    /// Records erased for privacy since the request's cursor: the device
    /// deletes its copies.
    #[n(6)]
    #[cbor(default)]
    pub erased: Vec<WireId>,
    /// For a field device: records of placements that ended before this
    /// day (`YYYY-MM-DD`) are no longer kept on it (see `retention`).
    #[n(7)]
    #[cbor(default)]
    pub retire_before: Option<String>,
    /// The server's log; send it back with the next request.
    #[n(8)]
    #[cbor(default)]
    pub log: Option<LogId>,
    /// The request's cursor does not count in the server's log (the
    /// database was restored from a backup): this reply starts a bootstrap,
    /// and the server may lack changes it confirmed before, so the device
    /// forgets what it knew the server had and pushes every document's
    /// history again.
    #[n(9)]
    #[cbor(default)]
    pub reset: bool,
    /// What this session may see has changed (a participant handed over,
    /// the account put in or taken out of a team): this reply starts a new
    /// bootstrap of everything it may now see, and when that bootstrap ends
    /// the device deletes every document it holds that the bootstrap did
    /// not bring, unless it has unsent changes.
    #[n(10)]
    #[cbor(default)]
    pub rescope: bool,
}

/// What became of one pushed document.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[cbor(map)]
pub struct PushResult {
    #[n(0)]
    pub id: WireId,
    /// The document's heads on the server after the push; empty if rejected.
    #[n(1)]
    pub heads: Vec<WireHash>,
    #[n(2)]
    pub rejection: Option<Rejection>,
}

/// Changes to one document from the change log, or its snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[cbor(map)]
pub struct PulledDoc {
    #[n(0)]
    pub id: WireId,
    /// The whole document as stored, for a new device: a saved document
    /// chunk, possibly followed by change chunks (`Automerge::load` reads
    /// it whole).
    #[n(1)]
    pub snapshot: Option<ByteVec>,
    /// Change chunks, in log order.
    #[n(2)]
    pub changes: Vec<ByteVec>,
    /// The document's heads on the server as of this reply.
    #[n(3)]
    pub heads: Vec<WireHash>,
}

string_enum! {
    /// Why a pushed document was refused; stable codes for clients.
    pub enum RejectionCode {
        /// A change chunk is truncated, corrupt or not a change.
        CorruptChange = "corrupt_change",
        /// A change depends on changes the server does not have.
        MissingDependencies = "missing_dependencies",
        /// The merged document is not a valid record.
        InvalidRecord = "invalid_record",
        /// The document's `id` or `kind` does not match, or changed.
        WrongIdentity = "wrong_identity",
        /// The pushing session may not make this change.
        Forbidden = "forbidden",
        /// Too many changes or too large a document.
        TooLarge = "too_large",
        /// The record was erased for privacy and may not come back; the
        /// device drops its copy.
        Erased = "erased",
    }
}

/// A refused document, with a reason for its author.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[cbor(map)]
pub struct Rejection {
    #[n(0)]
    #[cbor(with = "rejection_code")]
    pub code: RejectionCode,
    /// English, for the record's author and for logs; an `invalid_record`
    /// names each field wrong as `path: what is wrong`.
    #[n(1)]
    pub message: String,
    /// The same in Norwegian bokmål, with fields named as the forms name
    /// them, for the person on the phone; only some rejections have it.
    #[n(2)]
    pub message_nb: Option<String>,
}

impl Rejection {
    pub fn new(code: RejectionCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), message_nb: None }
    }

    /// Adds the bokmål wording.
    #[must_use]
    pub fn with_nb(mut self, message_nb: String) -> Self {
        self.message_nb = Some(message_nb);
        self
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// Rejection codes travel as their text.
mod rejection_code {
    use minicbor::decode::{Decoder, Error as DecodeError};
    use minicbor::encode::{Encoder, Error as EncodeError, Write};

    use super::RejectionCode;

    pub fn encode<C, W: Write>(
        code: &RejectionCode,
        e: &mut Encoder<W>,
        _ctx: &mut C,
    ) -> Result<(), EncodeError<W::Error>> {
        e.str(code.as_str())?;
        Ok(())
    }

    pub fn decode<C>(d: &mut Decoder<'_>, _ctx: &mut C) -> Result<RejectionCode, DecodeError> {
        let text = d.str()?;
        RejectionCode::parse(text).ok_or_else(|| DecodeError::message("unknown rejection code"))
    }
}

/// Why a message could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("malformed sync message: {0}")]
    Malformed(#[from] minicbor::decode::Error),
    #[error("malformed sync message: {0} bytes after the end of the message")]
    TrailingBytes(usize),
    #[error("unsupported sync wire version {0}; this server speaks version {WIRE_VERSION}")]
    Version(u32),
}

/// Decodes a whole message strictly: no trailing bytes.
fn decode_exact<'b, T: Decode<'b, ()>>(bytes: &'b [u8]) -> Result<T, WireError> {
    let mut decoder = minicbor::Decoder::new(bytes);
    let value = decoder.decode()?;
    let rest = bytes.len() - decoder.position();
    if rest > 0 {
        return Err(WireError::TrailingBytes(rest));
    }
    Ok(value)
}

impl SyncRequest {
    /// Decodes a request and checks its version.
    pub fn decode(bytes: &[u8]) -> Result<Self, WireError> {
        let request: Self = decode_exact(bytes)?;
        if request.version != WIRE_VERSION {
            return Err(WireError::Version(request.version));
        }
        Ok(request)
    }

    /// Why the push is over [`MAX_DOCS_PER_PUSH`] or
    /// [`MAX_CHANGES_PER_PUSH`], if it is.
    pub fn over_limits(&self) -> Option<String> {
        if self.push.len() > MAX_DOCS_PER_PUSH {
            return Some(format!("{} documents in one push; at most {MAX_DOCS_PER_PUSH}", self.push.len()));
        }
        let changes: usize = self.push.iter().map(|doc| doc.changes.len()).sum();
        (changes > MAX_CHANGES_PER_PUSH)
            .then(|| format!("{changes} changes in one push; at most {MAX_CHANGES_PER_PUSH}"))
    }

    pub fn encode(&self) -> Vec<u8> {
        // Encoding into a Vec cannot fail.
        minicbor::to_vec(self).unwrap_or_default()
    }
}

impl SyncResponse {
    /// Decodes a response and checks its version.
    pub fn decode(bytes: &[u8]) -> Result<Self, WireError> {
        let response: Self = decode_exact(bytes)?;
        if response.version != WIRE_VERSION {
            return Err(WireError::Version(response.version));
        }
        Ok(response)
    }

    pub fn encode(&self) -> Vec<u8> {
        minicbor::to_vec(self).unwrap_or_default()
    }
}

/// The `Content-Digest` header value (RFC 9530) for a body:
/// `sha-256=:<base64 of the SHA-256>:`. Sync requests must carry it, so a
/// body damaged on the way (truncated, bits flipped) is refused whole.
pub fn content_digest(body: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(body);
    format!("sha-256=:{}:", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// Whether a `Content-Digest` header value holds the body's SHA-256
/// (other algorithms listed alongside are ignored).
pub fn digest_matches(header: &str, body: &[u8]) -> bool {
    let expected = content_digest(body);
    header.split(',').map(str::trim).any(|item| item == expected)
}

/// The wire form of a document id.
pub fn wire_id(id: DocId) -> WireId {
    ByteArray::from(*id.0.as_bytes())
}

/// A document id from its wire form.
pub fn doc_id(id: &WireId) -> DocId {
    DocId(uuid::Uuid::from_bytes(**id))
}

/// The wire form of a set of heads.
pub fn wire_heads(heads: &[automerge::ChangeHash]) -> Vec<WireHash> {
    heads.iter().map(|h| ByteArray::from(h.0)).collect()
}

/// Heads from their wire form.
pub fn heads(wire: &[WireHash]) -> Vec<automerge::ChangeHash> {
    wire.iter().map(|h| automerge::ChangeHash(**h)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> SyncRequest {
        SyncRequest {
            version: WIRE_VERSION,
            cursor: 42,
            push: vec![PushedDoc { id: wire_id(DocId::new_random()), changes: vec![vec![1, 2, 3].into()] }],
            snapshots: false,
            log: Some([7; 8].into()),
        }
    }

    #[test]
    fn a_request_round_trips() {
        let request = request();
        assert_eq!(SyncRequest::decode(&request.encode()).expect("decodes"), request);
    }

    #[test]
    fn trailing_bytes_are_rejected() {
        let mut bytes = request().encode();
        bytes.push(0);
        assert!(matches!(SyncRequest::decode(&bytes), Err(WireError::TrailingBytes(1))));
    }

    #[test]
    fn every_truncation_is_rejected() {
        let bytes = request().encode();
        for end in 0..bytes.len() {
            assert!(SyncRequest::decode(&bytes[..end]).is_err(), "accepted {end} of {} bytes", bytes.len());
        }
    }

    #[test]
    fn another_version_is_rejected() {
        let mut request = request();
        request.version = 2;
        assert!(matches!(SyncRequest::decode(&request.encode()), Err(WireError::Version(2))));
    }

    #[test]
    fn the_content_digest_detects_any_change_to_the_body() {
        let body = request().encode();
        let header = content_digest(&body);
        assert!(header.starts_with("sha-256=:") && header.ends_with(':'));
        assert!(digest_matches(&header, &body));
        assert!(digest_matches(&format!("sha-512=:AAAA:, {header}"), &body));
        let mut flipped = body.clone();
        flipped[3] ^= 1;
        assert!(!digest_matches(&header, &flipped));
        assert!(!digest_matches(&header, &body[..body.len() - 1]));
    }

    #[test]
    fn a_rejection_code_travels_as_text() {
        let result = PushResult {
            id: wire_id(DocId::new_random()),
            heads: vec![],
            rejection: Some(Rejection::new(RejectionCode::MissingDependencies, "x")),
        };
        let bytes = minicbor::to_vec(&result).expect("encode");
        assert!(bytes.windows(20).any(|w| w == b"missing_dependencies"));
        assert_eq!(minicbor::decode::<PushResult>(&bytes).expect("decode"), result);
    }
}
