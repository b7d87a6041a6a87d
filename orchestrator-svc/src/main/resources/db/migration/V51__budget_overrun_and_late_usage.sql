-- Settled usage never exceeds a cap (issue 16). What a job really used is booked into used_* only as far as the cap
-- leaves room once the job's own reservation is released; anything beyond (a cost bound that was too low, or work
-- whose result came after its step had given up and released its reservation) is booked into overrun_* instead:
-- used_* + reserved_* <= max_* holds at every commit, and used_* + overrun_* is everything the budget's jobs spent.
alter table budgets add column overrun_tokens bigint  not null default 0 check (overrun_tokens >= 0);
alter table budgets add column overrun_calls  bigint  not null default 0 check (overrun_calls >= 0);
alter table budgets add column overrun_flops  numeric not null default 0 check (overrun_flops >= 0);

-- A result that arrived after its step stopped waiting (timed out, retried, or its run ended): the work ran, so its
-- usage is recorded and booked to the run all the same, marked late.
alter table usage add column late boolean not null default false;
