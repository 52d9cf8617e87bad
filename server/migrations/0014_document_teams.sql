-- Who each record is for: the table image of
-- `innom_shared::access::teams::audience` (a team id per row; NULL for
-- everyone: workplaces). A workplace is for everyone; a participant for
-- their team; a placement, a visit about placements and mentor feedback
-- for the teams of the participants they concern; a visit about no
-- placement for the teams of the advisor who made it. A view, so it is
-- never out of step with a handover or a membership change. The API test
-- `need_to_know` holds it to the rule. `UNION ALL` (a team may appear twice
-- for one record), so that SQLite pushes `doc_id = ?` into each branch and
-- a lookup by record is a handful of index searches, not a scan.
CREATE VIEW document_teams (doc_id, team_id) AS
    SELECT id, NULL FROM documents WHERE kind = 'workplace'
    UNION ALL
    SELECT d.id, pt.team_id FROM documents d
        JOIN participant_teams pt ON pt.participant = d.id
        WHERE d.kind = 'participant'
    UNION ALL
    SELECT pr.id, pt.team_id FROM placement_rows pr
        JOIN participant_teams pt ON pt.participant = pr.participant
    UNION ALL
    SELECT vp.visit, pt.team_id FROM visit_placements vp
        JOIN placement_rows pr ON pr.id = vp.placement
        JOIN participant_teams pt ON pt.participant = pr.participant
    UNION ALL
    SELECT d.id, m.team_id FROM documents d
        JOIN users u ON u.username = d.created_by
        JOIN team_members m ON m.user_id = u.id
        WHERE d.kind = 'visit' AND NOT EXISTS (SELECT 1 FROM visit_placements vp WHERE vp.visit = d.id)
    UNION ALL
    SELECT d.id, pt.team_id FROM documents d
        JOIN placement_rows pr ON pr.id = d.placement
        JOIN participant_teams pt ON pt.participant = pr.participant
        WHERE d.kind = 'mentor_feedback';
