-- The transactional outbox: one row per outgoing message, written in the same transaction
-- as its cause and delivered by the mail worker (src/mail/worker.rs).
CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    message_id       TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    ref_id           TEXT,
    to_address       TEXT NOT NULL,
    to_name          TEXT,
    subject          TEXT NOT NULL,
    text_body        TEXT NOT NULL,
    html_body        TEXT,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  TIMESTAMP NOT NULL,
    claimed_until    TIMESTAMP,
    last_reply       TEXT,
    sent_at          TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
-- The worker's claim query (queued and due) and its reaping of expired leases (sending).
CREATE INDEX outbox_due_idx ON outbox(status, next_attempt_at);
CREATE INDEX outbox_lease_idx ON outbox(status, claimed_until);
CREATE INDEX outbox_ref_idx ON outbox(ref_id);
