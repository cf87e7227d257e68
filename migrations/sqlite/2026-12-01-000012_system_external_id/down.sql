DROP INDEX systems_external_id_idx;
ALTER TABLE systems DROP COLUMN external_id;
