DROP INDEX compliance_items_gap_due_idx;
ALTER TABLE compliance_items DROP COLUMN is_current;
CREATE INDEX compliance_items_gap_due_idx ON compliance_items(target_date)
    WHERE target_date IS NOT NULL AND status IN ('to_review', 'partial', 'not_met');
DROP TABLE compliance_org_tallies;
DROP INDEX compliance_reviews_score_idx;
ALTER TABLE compliance_reviews DROP COLUMN score, DROP COLUMN to_review, DROP COLUMN not_applicable,
    DROP COLUMN not_met, DROP COLUMN partial, DROP COLUMN met, DROP COLUMN total;
