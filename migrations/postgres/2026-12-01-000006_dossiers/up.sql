-- Level-proposal dossiers (hồ sơ đề xuất cấp độ): one per determination of a system, its
-- checklist generated from the regime pack at creation, and the timeline of its steps.
CREATE TABLE dossiers (
    id                    TEXT PRIMARY KEY NOT NULL,
    system_id             TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    organization_id       TEXT NOT NULL REFERENCES organizations(id),
    kind                  TEXT NOT NULL,
    proposed_level        INTEGER NOT NULL,
    procedure_level       INTEGER NOT NULL,
    regime_id             TEXT NOT NULL,
    regime_version        TEXT NOT NULL,
    status                TEXT NOT NULL,
    submission_number     TEXT,
    submission_date       DATE,
    submission_recipient  TEXT,
    received_on           DATE,
    appraisal_started_on  DATE,
    appraisal_opinion     TEXT,
    appraisal_number      TEXT,
    appraisal_date        DATE,
    decision_number       TEXT,
    decision_date         DATE,
    approved_level        INTEGER,
    created_by            TEXT REFERENCES users(id),
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE INDEX dossiers_system_idx ON dossiers(system_id);
CREATE INDEX dossiers_organization_idx ON dossiers(organization_id);
CREATE INDEX dossiers_status_idx ON dossiers(status);
-- At most one dossier in progress per system (the service says so first, in Vietnamese).
CREATE UNIQUE INDEX dossiers_open_idx ON dossiers(system_id) WHERE status <> 'approved';

-- One row per component of the checklist; title and citation are copied from the pack so the
-- dossier keeps the text it was created under.
CREATE TABLE dossier_components (
    dossier_id       TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    component_id     TEXT NOT NULL,
    position         INTEGER NOT NULL,
    step             TEXT NOT NULL,
    required         BOOLEAN NOT NULL,
    title            TEXT NOT NULL,
    citation         TEXT NOT NULL,
    status           TEXT NOT NULL,
    document_number  TEXT,
    document_date    DATE,
    note             TEXT,
    updated_by       TEXT REFERENCES users(id),
    updated_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (dossier_id, component_id)
);

-- The timeline: every status a dossier reached, who recorded it and on which document.
CREATE TABLE dossier_steps (
    id               TEXT PRIMARY KEY NOT NULL,
    dossier_id       TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    from_status      TEXT,
    to_status        TEXT NOT NULL,
    occurred_on      DATE NOT NULL,
    document_number  TEXT,
    document_date    DATE,
    note             TEXT,
    actor_id         TEXT REFERENCES users(id),
    actor_label      TEXT NOT NULL,
    at               TIMESTAMP NOT NULL
);
CREATE INDEX dossier_steps_dossier_idx ON dossier_steps(dossier_id, at);
