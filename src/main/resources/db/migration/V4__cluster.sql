-- crmroute schema, version 4: several nodes sharing one database (the cluster package).

-- Each node's heartbeat; a node silent for 3 of its heartbeats is shown as down.
CREATE TABLE cluster_node (
    id             text        PRIMARY KEY,
    version        text        NOT NULL,
    started_at     timestamptz NOT NULL,
    last_heartbeat timestamptz NOT NULL,
    heartbeat_ms   bigint      NOT NULL
);

-- One CRM's rate budget per window: the permits the nodes have leased of it (never above the limit).
CREATE TABLE cluster_rate (
    crm        text        NOT NULL,
    window_no  bigint      NOT NULL,
    ends_at    timestamptz NOT NULL,
    claimed    integer     NOT NULL,
    last_grant integer     NOT NULL,
    PRIMARY KEY (crm, window_no)
);

-- One CRM's newest credential (with Bullhorn, its single-use refresh token), AES-GCM sealed with the key in
-- CRMROUTE_SECRET_KEY: the database alone never gives a token away.
CREATE TABLE cluster_token (
    crm        text        PRIMARY KEY,
    sealed     bytea       NOT NULL,
    updated_by text        NOT NULL,
    updated_at timestamptz NOT NULL
);
