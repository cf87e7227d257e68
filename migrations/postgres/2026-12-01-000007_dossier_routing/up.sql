-- The rest of the dossier capability: systems beyond the first of a multi-system dossier,
-- attached files, the appraising and approving units per organisation with their dated
-- history, the running legal clock of each dossier, periodic assessments and the reminders
-- already sent.

-- The further systems of a dossier that covers several (NĐ 331 Điều 22 khoản 4 điểm a);
-- `dossiers.system_id` stays the first one.
CREATE TABLE dossier_systems (
    dossier_id      TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    system_id       TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    proposed_level  INTEGER NOT NULL,
    PRIMARY KEY (dossier_id, system_id)
);
CREATE INDEX dossier_systems_system_idx ON dossier_systems(system_id);

-- Every upload to a component is a new version; the bytes live under the data dir by SHA-256.
CREATE TABLE dossier_files (
    id            TEXT PRIMARY KEY NOT NULL,
    dossier_id    TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    component_id  TEXT NOT NULL,
    version       INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    uploaded_by   TEXT REFERENCES users(id),
    uploaded_at   TIMESTAMP NOT NULL,
    UNIQUE (dossier_id, component_id, version)
);

-- Which unit appraises or approves the dossiers of an organisation's subtree, for a range of
-- levels, from which day: a dossier takes the assignment in force on its submission date.
CREATE TABLE authority_assignments (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    role             TEXT NOT NULL,
    min_level        INTEGER NOT NULL,
    max_level        INTEGER NOT NULL,
    unit_id          TEXT REFERENCES organizations(id),
    unit_name        TEXT NOT NULL,
    valid_from       DATE NOT NULL,
    valid_until      DATE,
    basis            TEXT,
    note             TEXT,
    created_by       TEXT REFERENCES users(id),
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX authority_assignments_org_idx ON authority_assignments(organization_id, role, valid_from);

-- The units a dossier was routed to at submission, kept with it, and its running clock.
ALTER TABLE dossiers ADD COLUMN appraiser_unit_id TEXT;
ALTER TABLE dossiers ADD COLUMN appraiser_unit_name TEXT;
ALTER TABLE dossiers ADD COLUMN approver_unit_id TEXT;
ALTER TABLE dossiers ADD COLUMN approver_unit_name TEXT;
ALTER TABLE dossiers ADD COLUMN clock_step TEXT;
ALTER TABLE dossiers ADD COLUMN clock_started_on DATE;
ALTER TABLE dossiers ADD COLUMN clock_due_on DATE;
CREATE INDEX dossiers_clock_idx ON dossiers(clock_due_on) WHERE clock_due_on IS NOT NULL;
CREATE INDEX dossiers_appraiser_idx ON dossiers(appraiser_unit_id) WHERE appraiser_unit_id IS NOT NULL;
-- Where each unit came from: `configuration` (an authority assignment) or `pack` (the role
-- the regime names, when nothing is configured).
ALTER TABLE dossiers ADD COLUMN appraiser_unit_source TEXT;
ALTER TABLE dossiers ADD COLUMN approver_unit_source TEXT;
CREATE INDEX dossiers_approver_idx ON dossiers(approver_unit_id) WHERE approver_unit_id IS NOT NULL;

-- Periodic assessments (kiểm tra, đánh giá): of one system, or of the whole agency when
-- `system_id` is empty; the next one is planned when one is recorded as done.
CREATE TABLE assessments (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    system_id        TEXT REFERENCES systems(id) ON DELETE CASCADE,
    scope            TEXT NOT NULL,
    regime_id        TEXT NOT NULL,
    citation         TEXT NOT NULL,
    due_on           DATE NOT NULL,
    done_on          DATE,
    assessor         TEXT,
    result           TEXT,
    document_number  TEXT,
    document_date    DATE,
    note             TEXT,
    created_by       TEXT REFERENCES users(id),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX assessments_due_idx ON assessments(due_on) WHERE done_on IS NULL;
CREATE INDEX assessments_system_idx ON assessments(system_id);
CREATE INDEX assessments_organization_idx ON assessments(organization_id);

-- One row per reminder or digest enqueued, keyed by what it is about and for which day, so
-- the same reminder never goes out twice, whichever instance or run gets there first.
CREATE TABLE reminders_sent (
    reminder_key  TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT REFERENCES users(id) ON DELETE CASCADE,
    outbox_id     TEXT,
    sent_at       TIMESTAMP NOT NULL
);

-- Sent warnings by the day their required action is due (the deadline list).
CREATE INDEX alerts_action_due_idx ON alerts(action_due_on) WHERE status = 'sent' AND action_due_on IS NOT NULL;

-- The organisation's own assessment intervals where the pack leaves them to the agency
-- (`adjustable`); the nearest ancestor's setting applies to a subtree. `level` is 0 for the
-- agency-wide review.
CREATE TABLE assessment_intervals (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    scope            TEXT NOT NULL,
    level            INTEGER NOT NULL,
    every_months     INTEGER NOT NULL,
    reason           TEXT NOT NULL,
    set_by           TEXT REFERENCES users(id),
    set_at           TIMESTAMP NOT NULL,
    PRIMARY KEY (organization_id, scope, level)
);
-- Which interval planned an assessment: empty reason = the pack's default.
ALTER TABLE assessments ADD COLUMN interval_months INTEGER;
ALTER TABLE assessments ADD COLUMN interval_reason TEXT;
