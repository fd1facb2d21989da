-- crmroute schema, version 5: the outbox of async write actions. With a database each async action is a row
-- here until it ends; any live node claims due rows (FOR UPDATE SKIP LOCKED) for a lease it renews while it
-- holds them, so a node that dies leaves its rows to the others once the lease ends.
-- `write` is the CrmWrite as JSON (kind, object, record id, fields, subject, call facts, key field, call key):
-- call data only, never a credential. `in_flight` is true while an attempt is under way: a row claimed with it
-- set was being written by a node that died, and is redone only when the write is retry-safe.
-- `state` is queued, done, failed or gave_up.
CREATE TABLE action_outbox (
    id              uuid        PRIMARY KEY,
    crm             text        NOT NULL,
    route           text        NOT NULL,
    uniqueid        text        NOT NULL,
    call_key        text        NOT NULL,
    write           jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    deadline        timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_by      text,
    claimed_until   timestamptz,
    in_flight       boolean     NOT NULL DEFAULT false,
    state           text        NOT NULL DEFAULT 'queued',
    record_id       text,
    last_error      text,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX action_outbox_due ON action_outbox (next_attempt_at) WHERE state = 'queued';
CREATE INDEX action_outbox_claimed_by ON action_outbox (claimed_by) WHERE state = 'queued';
-- Ended rows are removed a day after they ended (the audit, crm_action, keeps every action's end).
CREATE INDEX action_outbox_ended ON action_outbox (updated_at) WHERE state <> 'queued';
