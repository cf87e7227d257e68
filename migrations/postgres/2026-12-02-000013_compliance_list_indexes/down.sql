CREATE INDEX compliance_reviews_score_idx ON compliance_reviews (score, system_id) WHERE is_current;
DROP INDEX compliance_reviews_order_idx;
DROP INDEX systems_with_level_idx;
