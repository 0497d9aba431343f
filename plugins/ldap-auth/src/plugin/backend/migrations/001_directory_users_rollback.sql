DROP TABLE IF EXISTS directory_users;
