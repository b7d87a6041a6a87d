package dev.verigen.orchestrator.stats;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The overview's figures, each one grouped query over an index of V40 (runs by creation and by finish, usage and
 * verdicts by time). {@code tenant} null means every tenant (an operator); otherwise every query is that tenant's.
 */
@Component
public class OverviewQueries {

    static final int RECENT_FAILURES = 10;

    private final JdbcClient jdbc;

    public OverviewQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Overview overview(String tenant, int minutes) {
        Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(minutes - 1L, ChronoUnit.MINUTES);
        Timestamp since = Timestamp.from(from);
        String runTenant = tenant == null ? "" : " and r.tenant_id = :tenant";
        Map<Instant, Map<String, Long>> perMinute = new TreeMap<>();
        for (int i = 0; i < minutes; i++) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String s : List.of("STARTED", "SUCCEEDED", "FAILED", "CANCELLED")) {
                counts.put(s, 0L);
            }
            perMinute.put(from.plus(i, ChronoUnit.MINUTES), counts);
        }
        var started = params(jdbc.sql("""
                select date_trunc('minute', r.created_at) as m, count(*) from runs r
                 where r.created_at >= :since""" + runTenant + " group by 1"), tenant, since)
                .query((rs, i) -> Map.entry(rs.getTimestamp(1).toInstant(), rs.getLong(2))).list();
        started.forEach(e -> perMinute.computeIfPresent(e.getKey(), (k, v) -> {
            v.put("STARTED", e.getValue());
            return v;
        }));
        record Finished(Instant minute, String status, long count) {
        }
        var finished = params(jdbc.sql("""
                select date_trunc('minute', r.finished_at) as m, r.status, count(*) from runs r
                 where r.finished_at >= :since""" + runTenant + " group by 1, 2"), tenant, since)
                .query((rs, i) -> new Finished(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getLong(3))).list();
        finished.forEach(f -> perMinute.computeIfPresent(f.minute(), (k, v) -> {
            v.merge(f.status(), f.count(), Long::sum);
            return v;
        }));
        List<Overview.Minute> runs = perMinute.entrySet().stream()
                .map(e -> new Overview.Minute(e.getKey(), e.getValue())).toList();

        Map<Instant, long[]> usage = new TreeMap<>();
        for (int i = 0; i < minutes; i++) {
            usage.put(from.plus(i, ChronoUnit.MINUTES), new long[2]);
        }
        String usageJoin = tenant == null ? "" : " join runs r on r.id = u.run_id and r.tenant_id = :tenant";
        params(jdbc.sql("select date_trunc('minute', u.recorded_at), sum(u.prompt_tokens + u.completion_tokens), "
                        + "sum(u.calls) from usage u" + usageJoin + " where u.recorded_at >= :since group by 1"),
                tenant, since)
                .query((rs, i) -> Map.entry(rs.getTimestamp(1).toInstant(), new long[]{rs.getLong(2), rs.getLong(3)}))
                .list().forEach(e -> usage.computeIfPresent(e.getKey(), (k, v) -> e.getValue()));
        List<Overview.UsageMinute> usageMinutes = usage.entrySet().stream()
                .map(e -> new Overview.UsageMinute(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();

        String verdictJoin = tenant == null ? ""
                : " join candidates c on c.id = v.candidate_id join runs r on r.id = c.run_id and r.tenant_id = :tenant";
        long[] verdicts = params(jdbc.sql("select count(*) filter (where v.outcome = 'PASS'), count(*) from verdicts v"
                        + verdictJoin + " where v.created_at >= :since"), tenant, since)
                .query((rs, i) -> new long[]{rs.getLong(1), rs.getLong(2)}).single();

        long running = params(jdbc.sql("select count(*) from runs r where r.status = 'RUNNING'" + runTenant),
                tenant, null).query(Long.class).single();
        long startedTotal = runs.stream().mapToLong(m -> m.counts().get("STARTED")).sum();
        Overview.Totals totals = new Overview.Totals(startedTotal, sum(runs, "SUCCEEDED"), sum(runs, "FAILED"),
                sum(runs, "CANCELLED"), running, usageMinutes.stream().mapToLong(Overview.UsageMinute::tokens).sum(),
                usageMinutes.stream().mapToLong(Overview.UsageMinute::calls).sum());

        String tenantFilter = tenant == null ? "" : " where t.id = :tenant";
        List<Overview.TenantBurn> burn = params(jdbc.sql("""
                with w as (select r.tenant_id, sum(u.prompt_tokens + u.completion_tokens) as tokens
                             from usage u join runs r on r.id = u.run_id
                            where u.recorded_at >= :since group by 1)
                select t.id, b.max_tokens, coalesce(b.used_tokens, 0), coalesce(b.reserved_tokens, 0), b.max_calls,
                       coalesce(b.used_calls, 0), coalesce(w.tokens, 0)
                  from tenants t
                  left join budgets b on b.tenant_id = t.id and b.scope = 'tenant'
                  left join w on w.tenant_id = t.id""" + tenantFilter + " order by 7 desc, t.id limit 50"), tenant, since)
                .query((rs, i) -> new Overview.TenantBurn(rs.getString(1), (Long) rs.getObject(2), rs.getLong(3),
                        rs.getLong(4), (Long) rs.getObject(5), rs.getLong(6), rs.getLong(7))).list();

        List<Overview.Failure> failures = params(jdbc.sql("""
                select r.id, r.tenant_id, r.strategy, r.error_code, r.error_detail, r.finished_at from runs r
                 where r.status = 'FAILED' and r.finished_at is not null""" + runTenant
                        + " order by r.finished_at desc limit " + RECENT_FAILURES), tenant, null)
                .query((rs, i) -> new Overview.Failure(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant())).list();

        return new Overview(tenant, minutes, from, runs, usageMinutes, totals,
                verdicts[1] == 0 ? null : (double) verdicts[0] / verdicts[1], verdicts[1], burn, failures);
    }

    private static long sum(List<Overview.Minute> runs, String status) {
        return runs.stream().mapToLong(m -> m.counts().getOrDefault(status, 0L)).sum();
    }

    private static JdbcClient.StatementSpec params(JdbcClient.StatementSpec spec, String tenant, Timestamp since) {
        if (tenant != null) {
            spec = spec.param("tenant", tenant);
        }
        if (since != null) {
            spec = spec.param("since", since);
        }
        return spec;
    }
}
