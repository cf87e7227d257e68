-- Security warnings (cảnh báo) and one delivery per recipient. A sent warning is immutable;
-- the message itself lives in the outbox (outbox_id), the answer here.
CREATE TABLE alerts (
    id                      TEXT PRIMARY KEY NOT NULL,
    organization_id         TEXT NOT NULL REFERENCES organizations(id),
    title                   TEXT NOT NULL,
    severity                TEXT NOT NULL,
    source_authority        TEXT NOT NULL,
    source_document         TEXT,
    body                    TEXT NOT NULL,
    cve_ids_json            TEXT NOT NULL,
    affected_products_json  TEXT NOT NULL,
    required_action         TEXT NOT NULL,
    action_due_on           DATE,
    tlp                     TEXT,
    corrects_id             TEXT REFERENCES alerts(id),
    audience_json           TEXT NOT NULL,
    status                  TEXT NOT NULL,
    created_by              TEXT REFERENCES users(id),
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL,
    sent_at                 TIMESTAMP
);
CREATE INDEX alerts_organization_idx ON alerts(organization_id);
CREATE INDEX alerts_created_idx ON alerts(created_at);

CREATE TABLE alert_deliveries (
    id            TEXT PRIMARY KEY NOT NULL,
    alert_id      TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    user_id       TEXT REFERENCES users(id),
    email         TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    reasons       TEXT NOT NULL,
    outbox_id     TEXT,
    send_count    INTEGER NOT NULL,
    answer        TEXT,
    note          TEXT,
    answered_at   TIMESTAMP,
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX alert_deliveries_recipient_idx ON alert_deliveries(alert_id, email);
CREATE INDEX alert_deliveries_answer_idx ON alert_deliveries(alert_id, answer);
