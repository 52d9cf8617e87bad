-- Sign-in through the municipality's OpenID Connect provider.
--
-- A device session made by a sign-in at the provider keeps the provider's
-- refresh token, with which the server asks, now and then, whether the
-- person may still sign in; when the provider says no, the session ends.
-- The token is useless without Innom's client secret, which is not in
-- the database.
ALTER TABLE sessions ADD COLUMN provider_refresh_token TEXT;
-- When the provider was last asked (milliseconds since the epoch).
ALTER TABLE sessions ADD COLUMN provider_checked_at INTEGER;

CREATE INDEX sessions_to_recheck ON sessions (provider_checked_at)
    WHERE provider_refresh_token IS NOT NULL AND revoked_at IS NULL;
