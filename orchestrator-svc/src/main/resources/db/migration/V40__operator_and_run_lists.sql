-- The platform operator (issue 14): a scope distinct from a tenant's admin. An operator key sees and manages every
-- tenant; an admin key only its own tenant's keys and budget.
alter table api_keys drop constraint api_keys_scopes_check;
alter table api_keys add constraint api_keys_scopes_check
    check (cardinality(scopes) > 0 and scopes <@ array ['runs', 'experiments', 'admin', 'operator']::text[]);

-- GET /v1/runs: keyset paging (created_at desc, id desc) within a tenant, or across tenants for an operator, with the
-- filters the dashboard offers. Each index serves one filter's range scan in paging order, so a page over 100,000
-- runs reads about a page of index entries whatever the filter.
create index runs_tenant_page on runs (tenant_id, created_at desc, id desc);
create index runs_page on runs (created_at desc, id desc);
create index runs_tenant_status_page on runs (tenant_id, status, created_at desc, id desc);
create index runs_tenant_strategy_page on runs (tenant_id, strategy, created_at desc, id desc);
create index runs_tenant_model_page on runs (tenant_id, (spec ->> 'model'), created_at desc, id desc);
create index runs_experiment_page on runs (experiment_id, created_at desc, id desc) where experiment_id is not null;
-- the overview's recent failures and finished runs per minute
create index runs_finished on runs (finished_at desc) where finished_at is not null;
create index runs_running on runs (tenant_id) where status = 'RUNNING';
-- superseded by runs_tenant_page (same leading columns, plus the tie-breaker)
drop index if exists runs_tenant_created;

-- GET /v1/stats/overview: tokens and calls per minute, verifier pass rate over the last hour
create index usage_recorded on usage (recorded_at);
create index verdicts_created on verdicts (created_at);
