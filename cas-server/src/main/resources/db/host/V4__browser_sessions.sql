-- Browser sessions apart from API tokens, so a user can list and revoke them and an idle one ends
-- (README, "Browser sessions"). Only a hash of each session's token is kept; `id` is a public
-- handle for listing and revoking that gives no way to the token. Sessions made before this table
-- were API tokens named 'browser session': they end here (their browsers sign in again).
CREATE TABLE browser_sessions (
  id           TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at   TIMESTAMPTZ NOT NULL,
  remote       TEXT,
  user_agent   TEXT
);
CREATE INDEX browser_sessions_user ON browser_sessions(user_id);

DELETE FROM api_tokens WHERE name = 'browser session';
