DROP INDEX systems_with_level_idx;
