DROP TRIGGER systems_tally_update;
DROP TRIGGER systems_tally_delete;
DROP TRIGGER systems_tally_insert;
DROP TABLE system_tallies;
