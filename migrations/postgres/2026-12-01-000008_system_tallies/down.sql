DROP TRIGGER systems_tally_update ON systems;
DROP TRIGGER systems_tally_insert_delete ON systems;
DROP FUNCTION systems_tally();
DROP FUNCTION system_tally_add(TEXT, INTEGER, TEXT, TEXT, BOOLEAN, BOOLEAN, BIGINT);
DROP TABLE system_tallies;
