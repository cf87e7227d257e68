-- Roll-ups of the compliance answers, kept by the services in the transaction that changes an
-- answer: each review's totals and score (for the worst-first list of systems), and each
-- owning organisation's totals per catalogue and group over its current reviews (so a
-- province's percentages are a sum over a few hundred rows, not over every review).

ALTER TABLE compliance_reviews ADD COLUMN total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE compliance_reviews ADD COLUMN met INTEGER NOT NULL DEFAULT 0;
ALTER TABLE compliance_reviews ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE compliance_reviews ADD COLUMN not_met INTEGER NOT NULL DEFAULT 0;
ALTER TABLE compliance_reviews ADD COLUMN not_applicable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE compliance_reviews ADD COLUMN to_review INTEGER NOT NULL DEFAULT 0;
-- Per mille of (met + ½ partial) / (total − not applicable); 1001 when nothing applies, so that
-- such a review sorts after every scored one and the list can walk the index.
ALTER TABLE compliance_reviews ADD COLUMN score INTEGER NOT NULL DEFAULT 1001;

UPDATE compliance_reviews SET
    total = COALESCE((SELECT SUM(t.total) FROM compliance_group_tallies t WHERE t.review_id = compliance_reviews.id), 0),
    met = COALESCE((SELECT SUM(t.met) FROM compliance_group_tallies t WHERE t.review_id = compliance_reviews.id), 0),
    partial = COALESCE((SELECT SUM(t.partial) FROM compliance_group_tallies t WHERE t.review_id = compliance_reviews.id), 0),
    not_met = COALESCE((SELECT SUM(t.not_met) FROM compliance_group_tallies t WHERE t.review_id = compliance_reviews.id), 0),
    not_applicable = COALESCE((SELECT SUM(t.not_applicable) FROM compliance_group_tallies t WHERE t.review_id = compliance_reviews.id), 0),
    to_review = COALESCE((SELECT SUM(t.to_review) FROM compliance_group_tallies t WHERE t.review_id = compliance_reviews.id), 0);
UPDATE compliance_reviews SET score = CASE WHEN total - not_applicable > 0
    THEN ((2 * met + partial) * 1000 + (total - not_applicable)) / (2 * (total - not_applicable)) ELSE 1001 END;

CREATE INDEX compliance_reviews_score_idx ON compliance_reviews(score, system_id) WHERE is_current;

CREATE TABLE compliance_org_tallies (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    baseline_id      TEXT NOT NULL,
    group_code       TEXT NOT NULL,
    total            INTEGER NOT NULL,
    met              INTEGER NOT NULL,
    partial          INTEGER NOT NULL,
    not_met          INTEGER NOT NULL,
    not_applicable   INTEGER NOT NULL,
    to_review        INTEGER NOT NULL,
    PRIMARY KEY (organization_id, baseline_id, group_code)
);
INSERT INTO compliance_org_tallies
SELECT s.organization_id, r.baseline_id, t.group_code,
       SUM(t.total), SUM(t.met), SUM(t.partial), SUM(t.not_met), SUM(t.not_applicable), SUM(t.to_review)
FROM compliance_group_tallies t
JOIN compliance_reviews r ON r.id = t.review_id
JOIN systems s ON s.id = r.system_id
WHERE r.is_current
GROUP BY s.organization_id, r.baseline_id, t.group_code;

-- Answers of a retired review are history: the gap lists and deadlines read only current ones,
-- from the index alone.
ALTER TABLE compliance_items ADD COLUMN is_current BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE compliance_items SET is_current = FALSE
    WHERE review_id IN (SELECT id FROM compliance_reviews WHERE NOT is_current);
DROP INDEX compliance_items_gap_due_idx;
CREATE INDEX compliance_items_gap_due_idx ON compliance_items(target_date)
    WHERE is_current AND target_date IS NOT NULL AND status IN ('to_review', 'partial', 'not_met');
