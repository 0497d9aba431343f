-- Packages are ZIPs, compressed already: PostgreSQL's TOAST compression (pglz) would spend about
-- as long failing to shrink a large package as writing it. EXTERNAL keeps the value out of line
-- and uncompressed; rows written before keep their storage.
ALTER TABLE plugin_packages ALTER COLUMN bytes SET STORAGE EXTERNAL;
ALTER TABLE plugin_operations ALTER COLUMN package SET STORAGE EXTERNAL;
