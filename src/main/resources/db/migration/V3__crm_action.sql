-- crmroute schema, version 3: the audit of write actions (a route's `actions:`). One row per action's end:
-- `result` is written, failed, gave_up or dropped; `attempts` how many requests it took (0: never sent).
-- `id` is made when the row is recorded, so a batch retried after an outage is not inserted twice.
CREATE TABLE crm_action (
    id          uuid        PRIMARY KEY,
    time        timestamptz NOT NULL,
    uniqueid    text        NOT NULL,
    route       text        NOT NULL,
    crm         text        NOT NULL,
    kind        text        NOT NULL,
    object      text        NOT NULL,
    record_id   text,
    result      text        NOT NULL,
    attempts    integer     NOT NULL,
    error       text
);
CREATE INDEX crm_action_time ON crm_action (time DESC);
CREATE INDEX crm_action_uniqueid ON crm_action (uniqueid);
