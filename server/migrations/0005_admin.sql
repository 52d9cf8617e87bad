-- User administration and lost phones.

-- Staff with the admin right manage accounts and their device sessions.
ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1));

-- A session revoked with "wipe": the phone is told to delete its local
-- data the next time it reaches the server, instead of just "log in again".
ALTER TABLE sessions ADD COLUMN wipe INTEGER NOT NULL DEFAULT 0 CHECK (wipe IN (0, 1));
