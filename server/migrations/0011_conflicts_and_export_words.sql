-- Records with unresolved concurrent values (two phones wrote different
-- values to one field, and nobody has chosen yet) are marked in the query
-- tables, so the office's attention list and timeline can show them
-- without reading documents. Worked out from the document by the merge
-- (`history::has_conflicts`), in the same transaction as the rest of the
-- record's row.
ALTER TABLE placement_rows ADD COLUMN conflicted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visit_rows ADD COLUMN conflicted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feedback_rows ADD COLUMN conflicted INTEGER NOT NULL DEFAULT 0;
-- Per placement: its own record, its visits and its feedback that have
-- conflicts.
ALTER TABLE placement_activity ADD COLUMN conflicts INTEGER NOT NULL DEFAULT 0;

-- The CSV exports now show values in Norwegian words and advisors by name.
-- Emptying the pre-rendered rows makes the server rebuild every query
-- table from the documents on its next start (`projections::in_step`),
-- which also fills `conflicted` for the records stored before this
-- migration.
DELETE FROM export_rows;
