package dev.verigen.orchestrator.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a request could have changed, in one query: row counts of every table a client can write to, and the marks
 * an update leaves (latest update times, cancelled runs, revoked keys, tenant budget caps, the outbox sequence, which
 * moves even when the relay has already deleted the rows). Two snapshots around a refused request must be equal.
 */
record StateSnapshot(Map<String, Object> values) {

    private static final String QUERY = """
            select (select count(*) from tenants) as tenants,
                   (select count(*) from runs) as runs,
                   (select count(*) from runs where status = 'CANCELLED') as runs_cancelled,
                   (select coalesce(max(updated_at)::text, '') from runs) as runs_updated,
                   (select count(*) from steps) as steps,
                   (select count(*) from run_events) as run_events,
                   (select count(*) from experiments) as experiments,
                   (select count(*) from experiments where status = 'RUNNING') as experiments_running,
                   (select coalesce(max(updated_at)::text, '') from experiments) as experiments_updated,
                   (select count(*) from experiment_runs) as experiment_runs,
                   (select count(*) from datasets) as datasets,
                   (select count(*) from dataset_items) as dataset_items,
                   (select count(*) from budgets) as budgets,
                   (select coalesce(md5(string_agg(concat_ws(':', tenant_id, max_tokens, max_calls, max_flops), ','
                           order by tenant_id)), '') from budgets where scope = 'tenant') as tenant_caps,
                   (select count(*) from api_keys) as api_keys,
                   (select count(revoked_at) from api_keys) as api_keys_revoked,
                   (select count(*) from pipelines) as pipelines,
                   (select coalesce(max(updated_at)::text, '') from pipelines) as pipelines_updated,
                   (select last_value::text || is_called::text from outbox_id_seq) as outbox_sequence""";

    static StateSnapshot take(JdbcClient jdbc) {
        return new StateSnapshot(new LinkedHashMap<>(jdbc.sql(QUERY).query().singleRow()));
    }

    /** The entries that differ, as {@code name: before -> after}; empty when equal. */
    Map<String, String> diff(StateSnapshot after) {
        Map<String, String> diff = new TreeMap<>();
        values.forEach((k, v) -> {
            Object other = after.values.get(k);
            if (!String.valueOf(v).equals(String.valueOf(other))) {
                diff.put(k, v + " -> " + other);
            }
        });
        return diff;
    }
}
