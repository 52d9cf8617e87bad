-- Which change log a device's cursor counts in. A database restored from a
-- backup is given a new one (`innom restore`), so a device that synced
-- after the backup was taken learns that its cursor and what the server
-- confirmed to it may be ahead of the restored log, and sends everything
-- again.
CREATE TABLE log_identity (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    log BLOB NOT NULL CHECK (length(log) = 8)
);
INSERT INTO log_identity (only_row, log) VALUES (1, randomblob(8));
