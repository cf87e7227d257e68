-- Organisation tree, user accounts and the append-only audit trail (PostgreSQL).
CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    parent_id   TEXT REFERENCES organizations(id),
    path        TEXT NOT NULL,
    search_key  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX organizations_parent_idx ON organizations(parent_id);
CREATE INDEX organizations_path_idx ON organizations(path text_pattern_ops);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,
    full_name           TEXT NOT NULL,
    role                TEXT NOT NULL,
    organization_id     TEXT NOT NULL REFERENCES organizations(id),
    active              BOOLEAN NOT NULL,
    password_hash       TEXT NOT NULL,
    token_version       INTEGER NOT NULL DEFAULT 0,
    password_changed_at TIMESTAMP NOT NULL,
    last_login_at       TIMESTAMP,
    search_key          TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX users_organization_idx ON users(organization_id);

CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    at           TIMESTAMP NOT NULL,
    actor_id     TEXT,
    actor_label  TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    action       TEXT NOT NULL,
    before_json  TEXT,
    after_json   TEXT,
    scope_path   TEXT NOT NULL
);
CREATE INDEX audit_log_entity_idx ON audit_log(entity_type, entity_id);
CREATE INDEX audit_log_actor_idx ON audit_log(actor_id);
CREATE INDEX audit_log_at_idx ON audit_log(at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
