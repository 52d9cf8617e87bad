-- Mentor links: a workplace mentor (fadder) has no account. An advisor or
-- staff member creates a link for one placement; the mentor's phone trades
-- the link's secret for a mentor session scoped to that placement.

CREATE TABLE mentor_links (
    id          INTEGER PRIMARY KEY,
    -- The placement document's UUID as 16 bytes.
    placement   BLOB    NOT NULL CHECK (length(placement) = 16),
    -- SHA-256 of the secret carried in the link's fragment. The secret
    -- itself is never stored.
    secret_hash BLOB    NOT NULL UNIQUE,
    created_by  INTEGER NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    -- The link and every session made from it stop working at this time.
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
) STRICT;

CREATE INDEX mentor_links_by_placement ON mentor_links (placement);

-- One row per phone that opened a link.
CREATE TABLE mentor_sessions (
    id           INTEGER PRIMARY KEY,
    link_id      INTEGER NOT NULL REFERENCES mentor_links (id) ON DELETE CASCADE,
    token_hash   BLOB    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
) STRICT;

-- Who may read a document depends on these two facts about it, so they are
-- kept beside the snapshot by every merge. Documents stored before this
-- migration keep the defaults, which no mentor matches.
ALTER TABLE documents ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
-- For mentor feedback: the placement it is about (16 bytes); NULL otherwise.
ALTER TABLE documents ADD COLUMN placement BLOB;

CREATE INDEX documents_by_placement ON documents (placement, seq) WHERE placement IS NOT NULL;

-- Changes pushed from a mentor session (user_id and session_id are NULL).
ALTER TABLE changes ADD COLUMN mentor_session_id INTEGER REFERENCES mentor_sessions (id);
