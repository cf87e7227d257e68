DROP TABLE compliance_org_tallies;
DROP INDEX compliance_reviews_score_idx;
ALTER TABLE compliance_reviews DROP COLUMN score, DROP COLUMN to_review, DROP COLUMN not_applicable,
    DROP COLUMN not_met, DROP COLUMN partial, DROP COLUMN met, DROP COLUMN total;
