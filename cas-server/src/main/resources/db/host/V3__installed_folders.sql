-- Verify once, at install (docs/FORMAT.md, "Installing"): where each plugin's verified package was
-- extracted (relative to <data>/plugins) and the SHA-256 of that folder's checksum.sha256. At
-- start the host opens the folder again instead of extracting the stored package, and refuses it
-- when any file differs from the pinned list. NULL: extract from the stored package (as before).
ALTER TABLE plugins ADD COLUMN install_folder TEXT;
ALTER TABLE plugins ADD COLUMN checksums_sha256 TEXT;
