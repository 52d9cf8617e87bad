-- Each record's CSV export row, rendered when the record is merged
-- (`store/projections.rs`), so an export streams one table page by page
-- instead of loading and reading every document. The names of the records
-- a row points to (workplace, participants) are left out and filled in at
-- export time from the query tables, so a renamed workplace shows its new
-- name: `refs` says which cell takes whose name (`exports::NameRef`).
-- Empty after this upgrade; the server rebuilds the query tables at its
-- next start (`projections::in_step` counts these rows too).

CREATE TABLE export_rows (
    id         BLOB    PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    -- The record's own creation time (ms since the epoch): export order.
    created_at INTEGER NOT NULL,
    -- JSON: the row's cells, names empty.
    cells      TEXT    NOT NULL,
    -- JSON: where the names go.
    refs       TEXT    NOT NULL
) STRICT;
CREATE INDEX export_rows_in_order ON export_rows (kind, created_at, id);
