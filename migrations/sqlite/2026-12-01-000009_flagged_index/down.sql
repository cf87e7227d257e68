DROP INDEX systems_flagged_idx;
