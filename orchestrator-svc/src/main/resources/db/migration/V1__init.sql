-- Verigen orchestrator schema. Every table a run touches; traces are append-only.

create table tenants (
    id          text primary key,
    name        text        not null,
    created_at  timestamptz not null default now()
);
insert into tenants (id, name) values ('default', 'Default tenant');

create table runs (
    id                    uuid primary key,
    tenant_id             text        not null references tenants (id),
    idempotency_key       text,
    request_hash          text        not null,
    strategy              text        not null,
    spec                  jsonb       not null, -- the normalised pipeline spec; the run always finishes on this snapshot
    input                 jsonb       not null,
    status                text        not null check (status in ('RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    selected_candidate_id uuid,
    result_reason         text,
    error_code            text,
    error_detail          text,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    finished_at           timestamptz,
    constraint runs_idempotency unique (tenant_id, idempotency_key)
);
create index runs_tenant_created on runs (tenant_id, created_at desc);

-- One row per budget scope. A reservation only succeeds when used + reserved stays within the cap,
-- so concurrent steps can never overspend; results settle reserved into used.
create table budgets (
    id              uuid primary key,
    scope           text   not null check (scope in ('run', 'tenant')),
    tenant_id       text   not null references tenants (id),
    run_id          uuid references runs (id),
    max_tokens      bigint check (max_tokens > 0),
    max_calls       bigint check (max_calls > 0),
    used_tokens     bigint not null default 0 check (used_tokens >= 0),
    used_calls      bigint not null default 0 check (used_calls >= 0),
    reserved_tokens bigint not null default 0 check (reserved_tokens >= 0),
    reserved_calls  bigint not null default 0 check (reserved_calls >= 0),
    constraint budgets_one_per_run unique (run_id)
);

-- A step is one dispatched job of a run (generation, verification or scoring).
create table steps (
    id              uuid primary key,
    run_id          uuid        not null references runs (id),
    job_id          uuid        not null unique,
    seq             int         not null,
    kind            text        not null check (kind in ('GENERATION', 'VERIFICATION', 'SCORING')),
    status          text        not null check (status in ('PENDING', 'DONE', 'FAILED')),
    attempt         int         not null default 1,
    reserved_tokens bigint      not null default 0,
    reserved_calls  bigint      not null default 0,
    candidate_ids   uuid[]      not null default '{}', -- what a verification or scoring step covers
    deadline        timestamptz not null,
    error_code      text,
    error_detail    text,
    created_at      timestamptz not null default now(),
    completed_at    timestamptz,
    constraint steps_run_seq unique (run_id, seq)
);
create index steps_run on steps (run_id);
create index steps_pending_deadline on steps (deadline) where status = 'PENDING';

create table candidates (
    id                uuid primary key,
    run_id            uuid        not null references runs (id),
    step_id           uuid        not null references steps (id),
    idx               int         not null,
    text              text        not null,
    finish_reason     text,
    completion_tokens bigint      not null default 0,
    logprob           double precision,
    pool              text        not null,
    backend           text        not null,
    created_at        timestamptz not null default now(),
    constraint candidates_run_idx unique (run_id, idx)
);

create table verdicts (
    candidate_id uuid        not null references candidates (id),
    step_id      uuid        not null references steps (id),
    verifier     text        not null,
    outcome      text        not null check (outcome in ('PASS', 'FAIL', 'ERROR')),
    extracted    text,
    evidence     text        not null,
    created_at   timestamptz not null default now(),
    primary key (candidate_id, verifier)
);

create table scores (
    candidate_id uuid             not null references candidates (id),
    step_id      uuid             not null references steps (id),
    scorer       text             not null,
    value        double precision not null,
    created_at   timestamptz      not null default now(),
    primary key (candidate_id, scorer)
);

create table usage (
    id                bigserial primary key,
    run_id            uuid        not null references runs (id),
    step_id           uuid        not null references steps (id),
    kind              text        not null,
    prompt_tokens     bigint      not null,
    completion_tokens bigint      not null,
    calls             bigint      not null,
    engine_ms         bigint      not null,
    wall_ms           bigint      not null,
    recorded_at       timestamptz not null default now()
);
create index usage_run on usage (run_id);

-- Transactional outbox: jobs are written here in the same transaction as the state that dispatches them,
-- then relayed to Kafka and deleted.
create table outbox (
    id         bigserial primary key,
    topic      text        not null,
    msg_key    bytea,
    payload    bytea       not null,
    created_at timestamptz not null default now()
);

-- Inbox: a result is applied at most once per (job, attempt).
create table processed_jobs (
    job_id       uuid        not null,
    attempt      int         not null,
    processed_at timestamptz not null default now(),
    primary key (job_id, attempt)
);
