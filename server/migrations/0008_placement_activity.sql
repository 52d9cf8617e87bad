-- Per placement, what the office's attention list needs from its visits and
-- mentor feedback, so the list is one pass over the placements rather than
-- subqueries per placement (10,000 placements and 100,000 visits answer in
-- milliseconds). Kept up to date by the merge in the same transaction as
-- the visit or feedback rows it summarises (`store/projections.rs`,
-- `refresh_activity`), and rebuilt with them. No foreign key: a visit may
-- arrive before its placement. An erasure recomputes the whole table.

CREATE TABLE placement_activity (
    placement         BLOB    PRIMARY KEY,
    -- The latest visit's time (ms since the epoch) and status.
    last_visit_at     INTEGER,
    last_visit_status TEXT,
    -- The earliest due date of a follow-up not yet done.
    next_due          TEXT,
    -- Visits and feedback the office has not marked reviewed.
    unreviewed        INTEGER NOT NULL,
    -- The latest mentor feedback's status, "contact me" and readiness.
    feedback_status   TEXT,
    contact_me        INTEGER,
    readiness         TEXT
) STRICT;

INSERT INTO placement_activity
SELECT p.placement,
       (SELECT max(v.at) FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit WHERE vp.placement = p.placement),
       (SELECT v.status FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
         WHERE vp.placement = p.placement ORDER BY v.at DESC LIMIT 1),
       (SELECT min(v.next_due) FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
         WHERE vp.placement = p.placement AND v.open_follow_ups > 0),
       (SELECT count(*) FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
         WHERE vp.placement = p.placement AND v.review_state != 'reviewed')
     + (SELECT count(*) FROM feedback_rows f WHERE f.placement = p.placement AND f.review_state != 'reviewed'),
       (SELECT f.status FROM feedback_rows f WHERE f.placement = p.placement ORDER BY f.created_at DESC LIMIT 1),
       (SELECT f.contact_me FROM feedback_rows f WHERE f.placement = p.placement ORDER BY f.created_at DESC LIMIT 1),
       (SELECT f.readiness FROM feedback_rows f WHERE f.placement = p.placement ORDER BY f.created_at DESC LIMIT 1)
FROM (SELECT placement FROM visit_placements UNION SELECT placement FROM feedback_rows) p;
