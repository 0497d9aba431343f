-- Undoes 001_create_text_blocks.sql: the table, its index and all blocks.
DROP TABLE IF EXISTS text_blocks;
