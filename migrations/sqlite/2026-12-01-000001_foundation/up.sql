-- Organisation tree, user accounts and the append-only audit trail (SQLite).
CREATE TABLE organizations (
    id          TEXT PRIMARY KEY NOT NULL,
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
CREATE INDEX organizations_path_idx ON organizations(path);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY NOT NULL,
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
    id           TEXT PRIMARY KEY NOT NULL,
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

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
