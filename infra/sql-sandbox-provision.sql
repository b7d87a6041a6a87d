-- Once, as a superuser: what verifier-svc's SQL sandbox needs that only a superuser can do, so that the login it
-- sets the sandbox up with (VERIGEN_SQL_ADMIN_USER) need not be one. ./verigen up runs it; a deployment runs it once:
--
--   psql -U postgres -v admin=verigen_sql_admin -v sandbox=verigen_sql_sandbox -v db=verigen_sql_sandbox \
--        -f infra/sql-sandbox-provision.sql
--
-- then gives verifier-svc VERIGEN_SQL_ADMIN_USER=verigen_sql_admin (and its password). Safe to run again.
\set ON_ERROR_STOP on

-- the set-up login: may create the sandbox database and role, nothing more
select format('create role %I login', :'admin') where not exists (select 1 from pg_roles where rolname = :'admin') \gexec
alter role :"admin" with login nosuperuser createdb createrole noreplication nobypassrls;

-- the role candidates' queries run as: whatever a superuser gave it is taken away here (the set-up login cannot)
select format('create role %I nologin', :'sandbox') where not exists (select 1 from pg_roles where rolname = :'sandbox') \gexec
alter role :"sandbox" with nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
-- PostgreSQL 16 lets a CREATEROLE login alter only roles it administers
grant :"sandbox" to :"admin" with admin option;

select format('create database %I owner %I', :'db', :'admin')
 where not exists (select 1 from pg_database where datname = :'db') \gexec
alter database :"db" owner to :"admin";

\connect :"db"
-- built-ins a read-only query could still misuse (SqlSandbox.REVOKED_FUNCTIONS): only their owner can revoke them
select format('revoke execute on function %s from public', p.oid::regprocedure)
  from pg_proc p
 where p.pronamespace = 'pg_catalog'::regnamespace
   and p.proname = any (array['pg_sleep', 'pg_sleep_for', 'pg_sleep_until', 'pg_terminate_backend',
       'pg_cancel_backend', 'pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_try_advisory_lock',
       'pg_try_advisory_lock_shared', 'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared',
       'pg_try_advisory_xact_lock', 'pg_try_advisory_xact_lock_shared', 'pg_advisory_unlock',
       'pg_advisory_unlock_shared', 'pg_advisory_unlock_all', 'pg_notify', 'set_config', 'pg_stat_get_activity']) \gexec
