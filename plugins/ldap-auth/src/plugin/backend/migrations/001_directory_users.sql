-- Host users that ldap-auth created from the directory: the login provider only ever speaks for these.
CREATE TABLE directory_users (
  username      text PRIMARY KEY,
  dn            text NOT NULL,
  display_name  text NOT NULL,
  email         text NOT NULL DEFAULT '',
  linked_at     timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);
