-- The pipeline engine: every strategy's steps, candidate lineage, strategy memos, compute budgets per run and per
-- tenant, re-dispatch of lost jobs, and the per-run event log that progress streams read.

alter table runs add column memo jsonb; -- what the run's strategy asked to remember between decisions
alter table runs add column cancel_reason text;

alter table steps drop constraint steps_status_check;
alter table steps add constraint steps_status_check check (status in ('PENDING', 'DONE', 'FAILED', 'CANCELLED'));
alter table steps add column label text not null default '';
alter table steps add column action jsonb;        -- the strategy's action as dispatched (role, pool, parent...)
alter table steps add column topic text;          -- where the job went, with its payload, to send it again
alter table steps add column payload bytea;
alter table steps add column reserved_flops double precision not null default 0;

alter table candidates add column parent_id uuid references candidates (id);
alter table candidates add column label text not null default '';
alter table candidates add column role text not null default 'GENERATE';
alter table candidates add column complete boolean not null default true;
create index candidates_run on candidates (run_id, idx);
create index candidates_parent on candidates (parent_id) where parent_id is not null;

alter table usage add column flops double precision not null default 0;

-- Budgets gain an estimated compute cap (FLOPs, Kinetics-style: parameters and KV-cache traffic). A tenant has at
-- most one budget row of its own, which every run of the tenant reserves against as well.
alter table budgets add column max_flops double precision check (max_flops > 0);
alter table budgets add column used_flops double precision not null default 0 check (used_flops >= 0);
alter table budgets add column reserved_flops double precision not null default 0 check (reserved_flops >= 0);
create unique index budgets_one_per_tenant on budgets (tenant_id) where scope = 'tenant';

-- Progress of runs as it happens, for GET /v1/runs/{id}/events (server-sent events resume from an event id).
create table run_events (
    id         bigserial primary key,
    run_id     uuid        not null references runs (id),
    type       text        not null,
    data       jsonb       not null,
    created_at timestamptz not null default now()
);
create index run_events_run on run_events (run_id, id);
