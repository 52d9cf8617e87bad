-- The server keeps the team facts in memory (who is in which team, each
-- participant's team: `access::teams::Directory`). Every change to them
-- that does not go through the sync writer moves this counter on (a
-- handover, a membership, a new team, a user removed), so the writer reads
-- them anew before its next batch, whichever process made the change
-- (the server's office API, or `innom user add --team` beside it). The
-- writer's own inserts of new participants' teams are mirrored in memory
-- as it makes them, and do not count.
CREATE TABLE team_facts_version (
    version INTEGER NOT NULL
) STRICT;
INSERT INTO team_facts_version (version) VALUES (0);

CREATE TRIGGER team_facts_on_handover AFTER UPDATE ON participant_teams
BEGIN
    UPDATE team_facts_version SET version = version + 1;
END;

CREATE TRIGGER team_facts_on_participant_removed AFTER DELETE ON participant_teams
BEGIN
    UPDATE team_facts_version SET version = version + 1;
END;

CREATE TRIGGER team_facts_on_joining AFTER INSERT ON team_members
BEGIN
    UPDATE team_facts_version SET version = version + 1;
END;

CREATE TRIGGER team_facts_on_leaving AFTER DELETE ON team_members
BEGIN
    UPDATE team_facts_version SET version = version + 1;
END;

CREATE TRIGGER team_facts_on_new_team AFTER INSERT ON teams
BEGIN
    UPDATE team_facts_version SET version = version + 1;
END;

CREATE TRIGGER team_facts_on_renamed_user AFTER UPDATE OF username ON users
BEGIN
    UPDATE team_facts_version SET version = version + 1;
END;
