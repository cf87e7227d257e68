-- The systems that have a level, counted for "without a checklist" on this small index instead
-- of the register's rows (the predicate is the query's, word for word, so both planners use it).
CREATE INDEX systems_with_level_idx ON systems (organization_id)
    WHERE approved_level IS NOT NULL OR proposed_level IS NOT NULL OR computed_level IS NOT NULL;
