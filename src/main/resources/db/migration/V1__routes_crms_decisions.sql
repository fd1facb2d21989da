-- crmroute schema, version 1. Applied by Flyway when crmroute starts with a database configured.

-- Versions of routes come from one sequence, so a version (the admin API's ETag) is never reused,
-- not even by a route deleted and created again: a stale If-Match cannot match by accident.
CREATE SEQUENCE route_version;

-- One row per route. `document` is the route exactly as an admin wrote it, in DESIGN.md's YAML shape
-- (as JSON): the source of truth, what GET gives back and what the router compiles. It is `json`,
-- not `jsonb`, so that the keys keep the order they were written in.
CREATE TABLE route (
    name        text        PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.-]{1,64}$'),
    document    json        NOT NULL CHECK (json_typeof(document) = 'object'),
    version     bigint      NOT NULL DEFAULT nextval('route_version'),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The rules of each route, one row each in evaluation order, written from `route.document` in the same
-- transaction. Read-only for the application: it is there for queries and reports ("which routes send
-- callers to queue 103?"), while the document stays the one thing compiled into rules.
CREATE TABLE route_rule (
    route_name  text    NOT NULL REFERENCES route (name) ON DELETE CASCADE,
    position    integer NOT NULL CHECK (position >= 1),
    name        text,
    field       text,
    operator    text    NOT NULL,
    value       text    NOT NULL,
    dest_type   text    NOT NULL,
    dest        text    NOT NULL,
    voicemail   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (route_name, position)
);
CREATE INDEX route_rule_destination ON route_rule (dest_type, dest);

-- CRM definitions in the shape of an entry under `crms:`. Secrets are never stored: values that are
-- secrets stay `${ENV}` references, resolved from the environment when the definition is loaded.
CREATE TABLE crm (
    name        text        PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.-]{1,64}$'),
    type        text        NOT NULL,
    definition  jsonb       NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    version     bigint      NOT NULL DEFAULT 1,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One counter that every change to `route` moves on. Servers poll it cheaply, and are told its new
-- value at once on the `crmroute_routes` channel (LISTEN/NOTIFY).
CREATE TABLE route_revision (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    revision  bigint  NOT NULL
);
INSERT INTO route_revision (id, revision) VALUES (true, 0);

CREATE FUNCTION route_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_revision bigint;
BEGIN
    UPDATE route_revision SET revision = revision + 1 RETURNING revision INTO new_revision;
    PERFORM pg_notify('crmroute_routes', new_revision::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER route_changed AFTER INSERT OR UPDATE OR DELETE ON route
    FOR EACH STATEMENT EXECUTE FUNCTION route_changed();

-- Facts the servers share, e.g. that the YAML's routes were imported once (`routes_seeded`).
CREATE TABLE store_fact (
    key         text        PRIMARY KEY,
    value       text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per call decision. `id` is made when the decision is recorded, before any write is tried,
-- so a batch retried after an outage cannot insert a row twice (INSERT ... ON CONFLICT DO NOTHING).
-- `uniqueid` is Asterisk's agi_uniqueid of the call.
CREATE TABLE call_decision (
    id            uuid        PRIMARY KEY,
    time          timestamptz NOT NULL,
    uniqueid      text        NOT NULL,
    channel       text        NOT NULL,
    caller        text        NOT NULL,
    route         text        NOT NULL,
    digits        text        NOT NULL,
    crm           text        NOT NULL,
    value         text,
    record_count  integer,
    status        text        NOT NULL,
    rule          text        NOT NULL,
    dest_type     text,
    dest          text,
    voicemail     boolean     NOT NULL,
    crm_ms        bigint,
    error         text
);
CREATE INDEX call_decision_time ON call_decision (time DESC);
CREATE INDEX call_decision_caller ON call_decision (caller, time DESC);
CREATE INDEX call_decision_route ON call_decision (route, time DESC);
