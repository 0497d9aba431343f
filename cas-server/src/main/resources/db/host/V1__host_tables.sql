-- The host's own tables, in schema cas. Plugins never see this schema: their database roles have
-- no privilege on it.

CREATE TABLE plugins (
  id            TEXT PRIMARY KEY,
  version       TEXT NOT NULL,
  name          TEXT NOT NULL,
  manifest      JSONB NOT NULL,
  desired_state TEXT NOT NULL,
  is_system     BOOLEAN NOT NULL DEFAULT FALSE,
  db_schema     TEXT NOT NULL,
  db_role       TEXT NOT NULL,
  signer_key_id TEXT,
  installed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The package as imported, byte for byte: the source of exports and of other hosts in a cluster.
CREATE TABLE plugin_packages (
  plugin_id  TEXT NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  version    TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  bytes      BYTEA NOT NULL,
  stored_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (plugin_id, version)
);

CREATE TABLE plugin_tables (
  table_name TEXT PRIMARY KEY,
  plugin_id  TEXT NOT NULL REFERENCES plugins(id) ON DELETE CASCADE
);

-- Kept when a plugin is uninstalled without purging its data, so a reinstall knows what ran.
CREATE TABLE plugin_migrations (
  plugin_id  TEXT NOT NULL,
  file_name  TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (plugin_id, file_name)
);

CREATE TABLE plugin_docs (
  id          BIGSERIAL PRIMARY KEY,
  plugin_id   TEXT NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  doc_type    TEXT NOT NULL,
  title       TEXT NOT NULL,
  format      TEXT NOT NULL,
  language    TEXT NOT NULL DEFAULT 'en',
  doc_version TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  content     TEXT NOT NULL,
  revision    INTEGER NOT NULL DEFAULT 1,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX plugin_docs_plugin ON plugin_docs(plugin_id);

CREATE TABLE plugin_doc_revisions (
  doc_id     BIGINT NOT NULL REFERENCES plugin_docs(id) ON DELETE CASCADE,
  revision   INTEGER NOT NULL,
  content    TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (doc_id, revision)
);

-- Configuration values as JSON; secrets are encrypted (AES-GCM) and stored as text in enc_value.
-- Written before the registry row (the plugin reads it while starting), so no foreign key.
CREATE TABLE plugin_config (
  plugin_id  TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      JSONB,
  enc_value  TEXT,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (plugin_id, key),
  CHECK ((value IS NULL) <> (enc_value IS NULL))
);

CREATE TABLE plugin_kv (
  plugin_id TEXT NOT NULL,
  key       TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (plugin_id, key)
);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  email         TEXT NOT NULL DEFAULT '',
  password_hash TEXT,
  roles         TEXT[] NOT NULL,
  source        TEXT NOT NULL DEFAULT 'local',
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Only a hash of each token is kept: a leaked table does not leak working tokens.
CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ
);

CREATE TABLE audit_log (
  id         BIGSERIAL PRIMARY KEY,
  at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  target     TEXT,
  outcome    TEXT NOT NULL,
  detail     TEXT,
  remote     TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
