-- Packages are ZIPs, compressed already: PostgreSQL's TOAST compression (pglz) would spend about
-- as long failing to shrink a large package as writing it. EXTERNAL keeps the value out of line
-- and uncompressed; rows written before keep their storage.
ALTER TABLE plugin_packages ALTER COLUMN bytes SET STORAGE EXTERNAL;
ALTER TABLE plugin_operations ALTER COLUMN package SET STORAGE EXTERNAL;
-- An install streams its package into the registry's transaction while its other steps run; for a
-- first install the registry row is written later in that transaction, so the check of this key
-- may wait for the commit (SET CONSTRAINTS ... DEFERRED); every other writer checks it at once.
ALTER TABLE plugin_packages ALTER CONSTRAINT plugin_packages_plugin_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
