-- The journal of install, upgrade and uninstall operations (docs/FORMAT.md, "Installing").
-- A row is written before the operation's first side effect and its step is moved forward before
-- each next one; the registry write and the row's end are one transaction. At start, a host rolls
-- back every operation still running (or, for an uninstall past its registry step, finishes it).
CREATE TABLE plugin_operations (
  id           UUID PRIMARY KEY,
  plugin_id    TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('install', 'upgrade', 'uninstall')),
  from_version TEXT,
  to_version   TEXT,
  step         TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('running', 'done', 'rolled-back', 'finished-at-recovery')),
  -- What undoing needs and cannot find elsewhere after a crash: the schema and role, whether the
  -- schema was created, the migrations and their marker, the previous configuration rows.
  undo         JSONB NOT NULL DEFAULT '{}',
  -- The new package (install, upgrade): its rollback files undo its migrations after a crash.
  package      BYTEA,
  detail       TEXT,
  started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One unfinished operation per plugin.
CREATE UNIQUE INDEX plugin_operations_running ON plugin_operations(plugin_id) WHERE state = 'running';
