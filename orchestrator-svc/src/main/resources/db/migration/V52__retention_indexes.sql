-- Retention (issue 16): the sweep finds a tenant's finished runs and experiments by age, and deleting them walks
-- every foreign key that points at their rows; without an index on the referencing column, each deleted row would
-- cost a scan of the referencing table.

-- what the sweep looks for
create index runs_retention on runs (tenant_id, finished_at) where status <> 'RUNNING';
create index experiments_retention on experiments (tenant_id, finished_at) where status <> 'RUNNING';
create index processed_jobs_processed_at on processed_jobs (processed_at);

-- foreign keys a delete walks (the others are covered by a primary key, a unique constraint or an index already:
-- budgets.run_id, steps.run_id, candidates.run_id and parent_id, verdicts and scores by candidate_id, usage.run_id,
-- run_events.run_id, experiment_runs.run_id, scaling_curves.experiment_id, runs.experiment_id by V40's
-- runs_experiment_page)
create index candidates_step on candidates (step_id);
create index verdicts_step on verdicts (step_id);
create index scores_step on scores (step_id);
create index usage_step on usage (step_id);
create index steps_tenant_budget on steps (tenant_budget_id) where tenant_budget_id is not null;
