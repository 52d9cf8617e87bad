-- Privacy erasure: a participant's records are deleted for good.

-- One row per erased record: only its id, nothing about the person. A phone
-- that was offline during the erasure cannot push the record back (it is
-- refused as `erased`), and every phone is told to drop its copy: `seq` is
-- a position in the change feed (taken from the `changes` sequence), so a
-- device whose cursor is behind it learns of the erasure on its next sync.
CREATE TABLE erasures (
    id        BLOB    PRIMARY KEY CHECK (length(id) = 16),
    seq       INTEGER NOT NULL,
    erased_at INTEGER NOT NULL,
    erased_by INTEGER REFERENCES users (id)
) STRICT;

CREATE INDEX erasures_by_seq ON erasures (seq);
