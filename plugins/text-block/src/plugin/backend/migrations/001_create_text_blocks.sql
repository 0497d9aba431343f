-- The blocks of every user. The user_id column makes the host put the table under row-level
-- security keyed to the requesting user; the checks repeat the API's limits so that no other
-- path (an import, a later version) can store what the API would refuse.
CREATE TABLE text_blocks (
  id uuid PRIMARY KEY,
  user_id text NOT NULL,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  content text NOT NULL CHECK (char_length(content) <= 20000),
  position integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 10000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX text_blocks_user_order ON text_blocks (user_id, position, created_at);
