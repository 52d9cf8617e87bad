-- A device session whose set of records changed without new changes in
-- the log to show it: a participant handed over to another team, the
-- account put in or taken out of a team, or an existing record that came
-- to concern another team (the writer marks those). Its next sync is
-- answered with a new bootstrap of what it may now see (`rescope`), after
-- which the device deletes what it holds and was not sent.
ALTER TABLE sessions ADD COLUMN rescope INTEGER NOT NULL DEFAULT 0 CHECK (rescope IN (0, 1));

CREATE TRIGGER rescope_on_handover AFTER UPDATE OF team_id ON participant_teams
    WHEN old.team_id IS NOT new.team_id
BEGIN
    UPDATE sessions SET rescope = 1
        WHERE revoked_at IS NULL
          AND user_id IN (SELECT user_id FROM team_members WHERE team_id IN (old.team_id, new.team_id));
END;

CREATE TRIGGER rescope_on_joining_a_team AFTER INSERT ON team_members
BEGIN
    UPDATE sessions SET rescope = 1 WHERE revoked_at IS NULL AND user_id = new.user_id;
END;

CREATE TRIGGER rescope_on_leaving_a_team AFTER DELETE ON team_members
BEGIN
    UPDATE sessions SET rescope = 1 WHERE revoked_at IS NULL AND user_id = old.user_id;
END;

CREATE TRIGGER rescope_on_all_teams AFTER UPDATE OF all_teams ON users
    WHEN old.all_teams IS NOT new.all_teams
BEGIN
    UPDATE sessions SET rescope = 1 WHERE revoked_at IS NULL AND user_id = new.id;
END;
