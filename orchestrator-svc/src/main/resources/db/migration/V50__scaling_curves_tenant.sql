-- Learned scaling curves belong to the tenant whose experiment learned them: one tenant's experiment can neither
-- overwrite the curves another's experiments start from nor read them (issue 16). A curve is the tenant of the
-- experiment that last wrote it; a curve whose experiment is unknown cannot be attributed and is forgotten (the
-- next compute-optimal experiment starts from the prior and learns it again).
alter table scaling_curves add column tenant_id text references tenants (id);
update scaling_curves c set tenant_id = e.tenant_id from experiments e where e.id = c.experiment_id;
delete from scaling_curves where tenant_id is null;
alter table scaling_curves alter column tenant_id set not null;
alter table scaling_curves drop constraint scaling_curves_pkey;
alter table scaling_curves add primary key (tenant_id, pool, suite, strategy);
-- deleting an experiment (retention) keeps the curve it taught
alter table scaling_curves drop constraint scaling_curves_experiment_id_fkey;
alter table scaling_curves add constraint scaling_curves_experiment_id_fkey
    foreign key (experiment_id) references experiments (id) on delete set null;
create index scaling_curves_experiment on scaling_curves (experiment_id);
