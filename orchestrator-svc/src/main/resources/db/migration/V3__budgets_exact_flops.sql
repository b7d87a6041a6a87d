-- Budgets per run and per tenant in tokens, calls and estimated FLOPs.

-- FLOPs budgets add and subtract whole FLOPs; in numeric that is exact at any size (a float8 sum drifts once it
-- passes 2^53, so a settled reservation would not return to exactly zero and a cap check could be off by an ulp).
alter table budgets alter column max_flops type numeric using max_flops::numeric;
alter table budgets alter column used_flops type numeric using used_flops::numeric;
alter table budgets alter column reserved_flops type numeric using reserved_flops::numeric;

-- The tenant budget row a step's reservation was also taken from (null: only its run's). Settling releases the
-- reservation on exactly the rows that hold it, even when the tenant's budget was created while the step was in
-- flight.
alter table steps add column tenant_budget_id uuid references budgets (id);
