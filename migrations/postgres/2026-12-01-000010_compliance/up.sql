-- Compliance with the baseline requirements of the level: one review per system, catalogue
-- and year; one answer per applicable requirement; evidence per system and requirement (kept
-- from one review to the next); and per-group tallies so that a subtree's percentages are a
-- sum over a few rows per system instead of a scan of every answer.

CREATE TABLE compliance_reviews (
    id             TEXT PRIMARY KEY NOT NULL,
    system_id      TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    baseline_id    TEXT NOT NULL,
    year           INTEGER NOT NULL,
    -- The level and hosting the checklist was generated for, and where the level came from
    -- (approved | proposed | computed).
    level          INTEGER NOT NULL,
    level_source   TEXT NOT NULL,
    hosting_kind   TEXT,
    -- A catalogue a regime's systems must also meet by a date (NĐ 331 for NĐ 85 systems).
    due_on         DATE,
    is_current     BOOLEAN NOT NULL,
    previous_id    TEXT REFERENCES compliance_reviews(id) ON DELETE SET NULL,
    created_by     TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    UNIQUE (system_id, baseline_id, year)
);
CREATE INDEX compliance_reviews_current_idx ON compliance_reviews(system_id, baseline_id) WHERE is_current;

CREATE TABLE compliance_items (
    id                TEXT PRIMARY KEY NOT NULL,
    review_id         TEXT NOT NULL REFERENCES compliance_reviews(id) ON DELETE CASCADE,
    system_id         TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    requirement_code  TEXT NOT NULL,
    group_code        TEXT NOT NULL,
    position          INTEGER NOT NULL,
    -- to_review | met | partial | not_met | not_applicable
    status            TEXT NOT NULL,
    na_reason         TEXT,
    how_met           TEXT,
    responsible_id    TEXT REFERENCES users(id) ON DELETE SET NULL,
    target_date       DATE,
    updated_by        TEXT REFERENCES users(id) ON DELETE SET NULL,
    updated_at        TIMESTAMP NOT NULL,
    UNIQUE (review_id, requirement_code)
);
-- Gaps with a target date: the deadlines list, the home page and the reminders.
CREATE INDEX compliance_items_gap_due_idx ON compliance_items(target_date)
    WHERE target_date IS NOT NULL AND status IN ('to_review', 'partial', 'not_met');
CREATE INDEX compliance_items_responsible_idx ON compliance_items(responsible_id)
    WHERE responsible_id IS NOT NULL;
CREATE INDEX compliance_items_system_idx ON compliance_items(system_id);

CREATE TABLE compliance_group_tallies (
    review_id       TEXT NOT NULL REFERENCES compliance_reviews(id) ON DELETE CASCADE,
    group_code      TEXT NOT NULL,
    total           INTEGER NOT NULL,
    met             INTEGER NOT NULL,
    partial         INTEGER NOT NULL,
    not_met         INTEGER NOT NULL,
    not_applicable  INTEGER NOT NULL,
    to_review       INTEGER NOT NULL,
    PRIMARY KEY (review_id, group_code)
);

CREATE TABLE compliance_evidence (
    id                TEXT PRIMARY KEY NOT NULL,
    system_id         TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    baseline_id       TEXT NOT NULL,
    requirement_code  TEXT NOT NULL,
    title             TEXT,
    document_number   TEXT,
    document_date     DATE,
    sha256            TEXT,
    file_name         TEXT,
    content_type      TEXT,
    size_bytes        BIGINT,
    added_by          TEXT REFERENCES users(id) ON DELETE SET NULL,
    added_at          TIMESTAMP NOT NULL
);
CREATE INDEX compliance_evidence_requirement_idx ON compliance_evidence(system_id, baseline_id, requirement_code);
CREATE INDEX compliance_evidence_sha_idx ON compliance_evidence(sha256) WHERE sha256 IS NOT NULL;
