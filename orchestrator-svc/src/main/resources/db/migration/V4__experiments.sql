-- Experiments: a dataset x pipelines x budgets x seeds, run as ordinary runs tagged with the experiment.

create table datasets (
    id         uuid primary key,
    tenant_id  text        not null references tenants (id),
    name       text        not null,
    items      int         not null,
    created_at timestamptz not null default now()
);
create index datasets_tenant on datasets (tenant_id, created_at desc);

create table dataset_items (
    dataset_id uuid not null references datasets (id) on delete cascade,
    ordinal    int  not null,
    item_id    text not null,
    prompt     text not null,
    reference  text,
    task       text not null,
    primary key (dataset_id, ordinal),
    constraint dataset_items_unique_id unique (dataset_id, item_id)
);

create table experiments (
    id          uuid primary key,
    tenant_id   text        not null references tenants (id),
    name        text        not null,
    status      text        not null check (status in ('RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    spec        jsonb       not null, -- the normalised request: dataset, arms, seeds, concurrency
    dataset     text        not null, -- 'suite:<name>' or 'dataset:<id>' or 'inline'
    items       jsonb       not null, -- the frozen item list, so a re-uploaded dataset never changes a finished experiment
    error       text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    finished_at timestamptz
);
create index experiments_tenant on experiments (tenant_id, created_at desc);
create index experiments_running on experiments (status) where status = 'RUNNING';

-- One cell of the grid (arm x seed x item x tag) and the run that serves it. A compute_optimal arm adds cells as
-- its allocator buys them (tags 'pilot', 'spend-1', ...); a uniform arm has one cell per item and seed.
create table experiment_runs (
    experiment_id uuid        not null references experiments (id),
    arm           text        not null,
    seed          bigint      not null,
    item_id       text        not null,
    tag           text        not null,
    run_id        uuid        not null references runs (id),
    purchase      jsonb,                          -- a batch arm's purchase as its allocator made it
    graded        jsonb,                          -- the run's candidates graded against the reference, once finished
    created_at    timestamptz not null default now(),
    primary key (experiment_id, arm, seed, item_id, tag)
);
create index experiment_runs_run on experiment_runs (run_id);
create index experiment_runs_ungraded on experiment_runs (experiment_id) where graded is null;

alter table runs add column experiment_id uuid references experiments (id);

-- What compute-optimal allocation has learned, per model pool, task suite and strategy: fitted scaling curves that
-- later experiments start from.
create table scaling_curves (
    pool         text        not null,
    suite        text        not null,
    strategy     text        not null,
    curve        jsonb       not null,
    observations int         not null,
    experiment_id uuid references experiments (id),
    updated_at   timestamptz not null default now(),
    primary key (pool, suite, strategy)
);
