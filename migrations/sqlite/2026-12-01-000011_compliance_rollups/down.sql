DROP INDEX compliance_items_gap_due_idx;
ALTER TABLE compliance_items DROP COLUMN is_current;
CREATE INDEX compliance_items_gap_due_idx ON compliance_items(target_date)
    WHERE target_date IS NOT NULL AND status IN ('to_review', 'partial', 'not_met');
DROP TABLE compliance_org_tallies;
DROP INDEX compliance_reviews_score_idx;
ALTER TABLE compliance_reviews DROP COLUMN score;
ALTER TABLE compliance_reviews DROP COLUMN to_review;
ALTER TABLE compliance_reviews DROP COLUMN not_applicable;
ALTER TABLE compliance_reviews DROP COLUMN not_met;
ALTER TABLE compliance_reviews DROP COLUMN partial;
ALTER TABLE compliance_reviews DROP COLUMN met;
ALTER TABLE compliance_reviews DROP COLUMN total;
