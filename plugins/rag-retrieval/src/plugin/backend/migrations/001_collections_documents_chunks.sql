-- Per-user document collections. Every table has user_id, so the host's row-level security
-- shows each user only their own rows. References between the tables are kept by the plugin
-- in its transactions, not by foreign keys: the host's import inserts exported tables one by
-- one in alphabetical order (chunks before documents before collections).

CREATE TABLE collections (
  id         bigserial   PRIMARY KEY,
  user_id    text        NOT NULL,
  name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, name)
);

CREATE TABLE documents (
  id            bigserial   PRIMARY KEY,
  user_id       text        NOT NULL,
  collection_id bigint      NOT NULL,
  title         text        NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  content       text        NOT NULL,
  format        text        NOT NULL CHECK (format IN ('text', 'markdown')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_collection_idx ON documents (collection_id);

-- A chunk's text is what is indexed (for Markdown: the stripped text); start_offset and
-- end_offset delimit its source in documents.content, in UTF-16 code units, end exclusive.
CREATE TABLE chunks (
  id           bigserial PRIMARY KEY,
  user_id      text      NOT NULL,
  document_id  bigint    NOT NULL,
  ordinal      integer   NOT NULL CHECK (ordinal >= 0),
  text         text      NOT NULL,
  start_offset integer   NOT NULL CHECK (start_offset >= 0),
  end_offset   integer   NOT NULL CHECK (end_offset > start_offset),
  UNIQUE (document_id, ordinal)
);
