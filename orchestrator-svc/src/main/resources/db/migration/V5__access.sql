-- Access: API keys per tenant, the rate-limit state every gateway instance shares, and saved pipelines.

create table api_keys (
    id                  text primary key,          -- the public part of vg_<id>_<secret>
    tenant_id           text        not null references tenants (id),
    name                text        not null,
    secret_hash         bytea       not null,      -- SHA-256 of the secret; the secret is shown once, never stored
    scopes              text[]      not null
        check (cardinality(scopes) > 0 and scopes <@ array ['runs', 'experiments', 'admin']::text[]),
    requests_per_minute integer     not null check (requests_per_minute > 0),
    burst               integer     not null check (burst > 0),
    max_body_bytes      bigint      check (max_body_bytes > 0),  -- null: the gateway's default
    created_at          timestamptz not null default now(),
    revoked_at          timestamptz
);
create index api_keys_tenant on api_keys (tenant_id, created_at desc);

-- GCRA state per bucket (one per key): the theoretical arrival time of the next request. One row update per
-- request, under the row lock, so every gateway instance sees one shared limit.
create table rate_limits (
    bucket text primary key,
    tat    timestamptz not null
);

-- A tenant's named pipeline specs; the OpenAI facade's model names can refer to them.
create table pipelines (
    tenant_id   text        not null references tenants (id),
    name        text        not null,
    spec        jsonb       not null,
    description text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    primary key (tenant_id, name)
);
