-- The systems that have a level, counted for "without a checklist" on this small index instead
-- of the register's rows (the predicate is the query's, word for word, so both planners use it).
CREATE INDEX systems_with_level_idx ON systems (organization_id)
    WHERE approved_level IS NOT NULL OR proposed_level IS NOT NULL OR computed_level IS NOT NULL;

-- The worst-first list walks its whole order (score, then system and catalogue for the ties)
-- on one index: with a sort left for the ties, SQLite 3.5x chose to sort the whole register.
CREATE INDEX compliance_reviews_order_idx ON compliance_reviews (score, system_id, baseline_id)
    WHERE is_current;
DROP INDEX compliance_reviews_score_idx;
