-- The access log: who was given a participant's records, how, and on
-- which day (UTC). One row per reader, participant, channel and day:
-- `sync` (sent to a device), `office` (shown in an office view) or
-- `export` (in a CSV file). The participant is kept by id and named when
-- the log is read, so an erased participant's rows stay, without a name.
-- Rows older than `--access-log-days` (365 by default) are removed daily.
CREATE TABLE access_log (
    id          INTEGER PRIMARY KEY,
    day         TEXT    NOT NULL,
    -- A username, or a mentor's `mentor:<link id>`.
    reader      TEXT    NOT NULL,
    participant BLOB    NOT NULL CHECK (length(participant) = 16),
    channel     TEXT    NOT NULL CHECK (channel IN ('sync', 'office', 'export')),
    -- When that day's first delivery was, in ms since the epoch.
    first_at    INTEGER NOT NULL,
    UNIQUE (participant, day, reader, channel)
) STRICT;
CREATE INDEX access_log_by_day ON access_log (day);
