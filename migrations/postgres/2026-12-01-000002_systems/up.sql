-- The register of information systems, their contacts, products and components (PostgreSQL).
CREATE TABLE systems (
    id                         TEXT PRIMARY KEY,
    organization_id            TEXT NOT NULL REFERENCES organizations(id),
    name                       TEXT NOT NULL,
    description                TEXT NOT NULL,
    kind                       TEXT,
    urls_json                  TEXT NOT NULL,
    hosting_kind               TEXT,
    hosting_provider           TEXT,
    data_in_vietnam            BOOLEAN,
    owner_name                 TEXT NOT NULL,
    operator_id                TEXT REFERENCES organizations(id),
    appraiser_name             TEXT,
    status                     TEXT NOT NULL,
    go_live_on                 DATE,
    regime_id                  TEXT NOT NULL,
    regime_version             TEXT NOT NULL,
    computed_level             INTEGER,
    classification_status      TEXT NOT NULL,
    proposed_level             INTEGER,
    proposal_justification     TEXT,
    below_criteria             BOOLEAN NOT NULL,
    approved_level             INTEGER,
    approval_decision_number   TEXT,
    approval_decision_date     DATE,
    redetermination_required   BOOLEAN NOT NULL,
    redetermination_reason     TEXT,
    search_key                 TEXT NOT NULL,
    created_at                 TIMESTAMP NOT NULL,
    updated_at                 TIMESTAMP NOT NULL
);
CREATE INDEX systems_organization_idx ON systems(organization_id);
CREATE INDEX systems_operator_idx ON systems(operator_id);
CREATE INDEX systems_level_idx ON systems(computed_level);
CREATE INDEX systems_status_idx ON systems(status);
CREATE INDEX systems_name_idx ON systems(name);
CREATE INDEX systems_updated_idx ON systems(updated_at);
CREATE INDEX systems_redetermination_idx ON systems(redetermination_required);

-- The facts and the stored classification, kept apart so lists and counts read narrow rows.
CREATE TABLE system_documents (
    system_id           TEXT PRIMARY KEY REFERENCES systems(id) ON DELETE CASCADE,
    facts_json          TEXT NOT NULL,
    classification_json TEXT NOT NULL
);

CREATE TABLE system_contacts (
    system_id  TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (system_id, user_id)
);
CREATE INDEX system_contacts_user_idx ON system_contacts(user_id);

CREATE TABLE system_products (
    id         TEXT PRIMARY KEY,
    system_id  TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    vendor     TEXT,
    version    TEXT,
    search_key TEXT NOT NULL
);
CREATE INDEX system_products_system_idx ON system_products(system_id);
CREATE INDEX system_products_key_idx ON system_products(search_key);

CREATE TABLE system_components (
    system_id    TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    component_id TEXT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    PRIMARY KEY (system_id, component_id)
);
CREATE INDEX system_components_component_idx ON system_components(component_id);

-- A narrow copy of what searches read, so a diacritic-insensitive substring search scans a few
-- megabytes instead of the whole register with its stored classifications.
CREATE TABLE system_search (
    system_id        TEXT PRIMARY KEY REFERENCES systems(id) ON DELETE CASCADE,
    search_key       TEXT NOT NULL
);

-- Substring search through a trigram index where the pg_trgm extension is available (it ships
-- with PostgreSQL's contrib modules); without it searches still work, by scanning this table.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX system_search_trgm_idx ON system_search USING gin (search_key gin_trgm_ops);
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm not installed (insufficient privilege): searches scan system_search';
END
$$;
