-- Query tables for the office's views, projected from the documents: one
-- row per record, holding the fields the views filter and sort on. Each is
-- written in the same transaction as the merge that changed its document
-- (`server/src/projections.rs`), goes with the document when it is erased
-- (ON DELETE CASCADE), and can be rebuilt from the documents at any time
-- (`innom rebuild-projections`). Ids are 16-byte UUIDs, dates ISO text,
-- times milliseconds since the epoch, enums their stable codes.

CREATE TABLE workplace_rows (
    id             BLOB PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    org_number     TEXT NOT NULL,
    industry       TEXT NOT NULL,
    hiring_outlook TEXT NOT NULL
) STRICT;

CREATE TABLE participant_rows (
    id        BLOB PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    programme TEXT NOT NULL,
    goal      TEXT NOT NULL,
    advisor   TEXT NOT NULL
) STRICT;

CREATE TABLE placement_rows (
    id             BLOB    PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    participant    BLOB    NOT NULL,
    workplace      BLOB    NOT NULL,
    advisor        TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    phase          INTEGER NOT NULL,
    start          TEXT    NOT NULL,
    planned_end    TEXT    NOT NULL,
    ended_on       TEXT,
    job_prospect   TEXT    NOT NULL,
    outcome        TEXT,
    tasks          INTEGER NOT NULL,
    tasks_mastered INTEGER NOT NULL
) STRICT;

CREATE TABLE visit_rows (
    id              BLOB    PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    workplace       BLOB    NOT NULL,
    advisor         TEXT    NOT NULL,
    at              INTEGER NOT NULL,
    visit_type      TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    job_signal      TEXT    NOT NULL,
    review_state    TEXT    NOT NULL,
    open_follow_ups INTEGER NOT NULL,
    -- The earliest due date among the open follow-ups.
    next_due        TEXT
) STRICT;

-- Which placements a visit was about.
CREATE TABLE visit_placements (
    visit     BLOB NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    placement BLOB NOT NULL,
    PRIMARY KEY (visit, placement)
) STRICT;
CREATE INDEX visit_placements_by_placement ON visit_placements (placement);

CREATE TABLE feedback_rows (
    id           BLOB    PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    placement    BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    status       TEXT    NOT NULL,
    readiness    TEXT    NOT NULL,
    contact_me   INTEGER NOT NULL,
    review_state TEXT    NOT NULL
) STRICT;
CREATE INDEX feedback_rows_by_placement ON feedback_rows (placement, created_at);
