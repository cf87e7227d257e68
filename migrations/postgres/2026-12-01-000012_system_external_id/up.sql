-- The identifier a system has in the spreadsheet or register it was imported from, so that
-- importing the same file again updates the systems instead of adding them twice.
ALTER TABLE systems ADD COLUMN external_id TEXT;
CREATE INDEX systems_external_id_idx ON systems(external_id) WHERE external_id IS NOT NULL;
