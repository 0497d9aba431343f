-- The items of every user. The user_id column puts the table under row-level security keyed to
-- the requesting user (Database.forUser): each user sees and changes only their own rows.
CREATE TABLE items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text NOT NULL,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);
