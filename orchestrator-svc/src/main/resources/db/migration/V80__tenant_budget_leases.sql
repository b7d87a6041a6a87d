-- Tenant budgets lent to runs in blocks (issue 15). A run's first job takes a block of the tenant's budget (a lease,
-- reserved on the tenant's row like any reservation); its later jobs reserve from the lease on the run's own row and
-- never touch the tenant's row, so one tenant's runs no longer queue for its row's lock on every job and every
-- result. When the run ends, what the lease did not spend goes back and what it spent is booked on the tenant's row.
-- The tenant's row always holds the whole lease as reserved: its used + reserved never passes its caps.
-- the tenant row the lease is from; no foreign key: its check would take a share lock on the tenant row, the very
-- lock the lease exists to avoid
alter table budgets add column lease_budget_id uuid;
alter table budgets add column lease_tokens bigint not null default 0 check (lease_tokens >= 0);
alter table budgets add column lease_calls bigint not null default 0 check (lease_calls >= 0);
alter table budgets add column lease_flops numeric not null default 0 check (lease_flops >= 0);
-- what the run's jobs charged to the lease hold (reserved) and have spent (used) of it
alter table budgets add column leased_reserved_tokens bigint not null default 0;
alter table budgets add column leased_reserved_calls bigint not null default 0;
alter table budgets add column leased_reserved_flops numeric not null default 0;
alter table budgets add column leased_used_tokens bigint not null default 0;
alter table budgets add column leased_used_calls bigint not null default 0;
alter table budgets add column leased_used_flops numeric not null default 0;
