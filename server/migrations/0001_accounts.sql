-- Accounts and device sessions.
--
-- Times are milliseconds since the Unix epoch (UTC), as INTEGER, matching
-- the Automerge timestamps in the documents. Tables are STRICT so that a
-- wrong type is an error instead of a silent conversion.

-- Advisors and office staff. Workplace mentors have no account: they come
-- in through a link and get a mentor session (a later migration).
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    -- Compared case-insensitively, so "Kari" and "kari" are one account.
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('advisor', 'staff')),
    -- Argon2id PHC string; includes its own salt and parameters, so the
    -- parameters can be raised later without a migration.
    password_hash TEXT    NOT NULL,
    -- Set when the account is disabled; a disabled user's sessions stop working.
    disabled_at   INTEGER,
    created_at    INTEGER NOT NULL
) STRICT;

-- One row per login on one device: a lost phone is revoked by its row.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the bearer token. The token itself is never stored, so a
    -- copy of the database does not let anyone in.
    token_hash   BLOB    NOT NULL UNIQUE,
    device_name  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    revoked_at   INTEGER
) STRICT;

CREATE INDEX sessions_by_user ON sessions (user_id);
