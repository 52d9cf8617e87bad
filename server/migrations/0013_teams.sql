-- Teams: need-to-know access. An advisor belongs to one or more teams; a
-- participant belongs to one team and has a responsible advisor. Office
-- staff see the whole municipality unless limited to some teams. Which
-- team a participant is in is the office's decision, kept here beside the
-- documents rather than in them: a handover is not a merge.

CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX team_members_by_user ON team_members (user_id, team_id);

-- Staff only: 1 sees every team, 0 only the teams they are a member of.
-- Advisors always see only their teams.
ALTER TABLE users ADD COLUMN all_teams INTEGER NOT NULL DEFAULT 1 CHECK (all_teams IN (0, 1));

CREATE TABLE participant_teams (
    -- The participant document's UUID as 16 bytes.
    participant BLOB    PRIMARY KEY CHECK (length(participant) = 16),
    team_id     INTEGER NOT NULL REFERENCES teams (id),
    -- The responsible advisor; NULL when none is named.
    advisor_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    changed_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX participant_teams_by_team ON participant_teams (team_id);

-- An existing database: one team holding everyone and every participant,
-- so nobody sees less than before until the office makes teams.
INSERT INTO teams (id, name, created_at) VALUES (1, 'Alle', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
INSERT INTO team_members (team_id, user_id) SELECT 1, id FROM users;
INSERT INTO participant_teams (participant, team_id, advisor_id, changed_at)
    SELECT d.id, 1,
        (SELECT u.id FROM users u WHERE u.username = d.created_by AND u.role = 'advisor'),
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
    FROM documents d WHERE d.kind = 'participant';
