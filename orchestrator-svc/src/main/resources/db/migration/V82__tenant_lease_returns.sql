-- Lease returns queued instead of applied in the ending run's transaction (issue 15). Every run of a tenant with a
-- budget used to lock the tenant's row when it ended, to give back its lease's unused part and book what it spent,
-- and so waited behind every other transaction holding that row: at 10,000 runs in flight a return waited 1.1 s. A run
-- now writes its return here (an insert: no lock on the tenant's row) and the returns are applied to the tenant's row
-- many at a time, under one lock, by a drainer; until then the tenant's row still holds them as reserved, which can
-- only refuse early, never overspend, and a refusal first applies what is queued.
create table lease_returns (
    id               bigserial primary key,
    -- no foreign key, as for budgets.lease_budget_id: its check would share-lock the tenant's row
    tenant_budget_id uuid    not null,
    back_tokens      bigint  not null check (back_tokens >= 0),
    back_calls       bigint  not null check (back_calls >= 0),
    back_flops       numeric not null check (back_flops >= 0),
    used_tokens      bigint  not null check (used_tokens >= 0),
    used_calls       bigint  not null check (used_calls >= 0),
    used_flops       numeric not null check (used_flops >= 0)
);
create index lease_returns_tenant on lease_returns (tenant_budget_id);
