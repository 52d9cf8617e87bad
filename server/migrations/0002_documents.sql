-- Record documents and the append-only change log that sync runs over.
--
-- The documents are the source of truth: every query table added later is
-- projected from them and can be rebuilt.

-- One row per Automerge document (one record).
CREATE TABLE documents (
    -- The record's UUID as 16 bytes.
    id         BLOB    PRIMARY KEY CHECK (length(id) = 16),
    kind       TEXT    NOT NULL CHECK (kind IN ('workplace', 'participant', 'placement', 'visit', 'mentor_feedback')),
    -- The compacted document (Automerge save format). New devices start
    -- from this instead of replaying the whole change log.
    snapshot   BLOB    NOT NULL,
    -- The document's heads: sorted 32-byte change hashes, concatenated.
    heads      BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- Every change ever accepted, in the order it was stored. `seq` is the
-- global feed position a device's cursor points into; AUTOINCREMENT
-- guarantees a number is never reused, even after deletes.
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id      BLOB    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    -- The change's SHA-256 hash; a replayed change is recognised by it.
    hash        BLOB    NOT NULL CHECK (length(hash) = 32),
    -- The change chunk exactly as pushed.
    bytes       BLOB    NOT NULL,
    -- Who pushed it, and from which device session (NULL for demo data
    -- loaded by the server itself).
    user_id     INTEGER REFERENCES users (id),
    session_id  INTEGER REFERENCES sessions (id),
    received_at INTEGER NOT NULL,
    UNIQUE (doc_id, hash)
) STRICT;

CREATE INDEX changes_by_document ON changes (doc_id, seq);
