-- Undoes 001_create_items.sql: the table and all items.
DROP TABLE IF EXISTS items;
