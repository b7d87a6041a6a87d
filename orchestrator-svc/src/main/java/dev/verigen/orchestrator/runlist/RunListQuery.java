package dev.verigen.orchestrator.runlist;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads pages of runs in (created_at desc, id desc) order. Keyset paging: a page starts after the previous page's
 * last (created_at, id), a row comparison every {@code runs_*_page} index (V40) serves as a range scan, so a deep page
 * costs what the first does. The total is a count over the same filters.
 */
@Component
public class RunListQuery {

    /**
     * @param tenant null: every tenant (an operator's list)
     */
    public record Filter(String tenant, String status, String strategy, String model, UUID experiment, Instant from,
                         Instant to) {
    }

    /** Where a page starts: after this row. Encoded opaque so clients do not build their own. */
    public record Cursor(Instant createdAt, UUID id) {

        String encode() {
            String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        /** @return null when {@code s} is not a cursor this class made */
        static Cursor decode(String s) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8).split("\\.", 3);
                if (parts.length != 3) {
                    return null;
                }
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                        UUID.fromString(parts[2]));
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                return null;
            }
        }
    }

    private final JdbcClient jdbc;

    public RunListQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public RunPage page(Filter filter, Cursor after, int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        long total = jdbc.sql("select count(*) from runs r where " + where).params(params)
                .query(Long.class).single();
        String pageWhere = where;
        if (after != null) {
            pageWhere += " and (r.created_at, r.id) < (:afterAt, :afterId)";
            params.put("afterAt", Timestamp.from(after.createdAt()));
            params.put("afterId", after.id());
        }
        params.put("limit", limit + 1);
        // the page first (index range scan, limit), then each row's answer and tokens: a handful of point lookups
        List<Row> rows = jdbc.sql("""
                        with page as (
                            select r.id, r.tenant_id, r.status, r.strategy, r.spec ->> 'model' as model,
                                   r.spec -> 'verifier' ->> 'type' as verifier, r.experiment_id, r.created_at,
                                   r.finished_at, r.selected_candidate_id, r.error_code
                              from runs r
                             where %s
                             order by r.created_at desc, r.id desc
                             limit :limit)
                        select p.*, v.extracted, v.outcome, b.used_tokens, b.used_calls,
                               extract(epoch from coalesce(p.finished_at, now()) - p.created_at) * 1000 as duration_ms
                          from page p
                          left join verdicts v on v.candidate_id = p.selected_candidate_id and v.verifier = p.verifier
                          left join budgets b on b.run_id = p.id
                         order by p.created_at desc, p.id desc""".formatted(pageWhere))
                .params(params).query(RunListQuery::row).list();
        boolean more = rows.size() > limit;
        List<Row> shown = more ? rows.subList(0, limit) : rows;
        String next = more ? new Cursor(shown.getLast().createdAt, shown.getLast().summary.id()).encode() : null;
        return new RunPage(shown.stream().map(Row::summary).toList(), total, next);
    }

    private static String where(Filter f, Map<String, Object> params) {
        List<String> clauses = new ArrayList<>();
        clauses.add("true");
        if (f.tenant() != null) {
            clauses.add("r.tenant_id = :tenant");
            params.put("tenant", f.tenant());
        }
        if (f.status() != null) {
            clauses.add("r.status = :status");
            params.put("status", f.status());
        }
        if (f.strategy() != null) {
            clauses.add("r.strategy = :strategy");
            params.put("strategy", f.strategy());
        }
        if (f.model() != null) {
            clauses.add("r.spec ->> 'model' = :model");
            params.put("model", f.model());
        }
        if (f.experiment() != null) {
            clauses.add("r.experiment_id = :experiment");
            params.put("experiment", f.experiment());
        }
        if (f.from() != null) {
            clauses.add("r.created_at >= :from");
            params.put("from", Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            clauses.add("r.created_at < :to");
            params.put("to", Timestamp.from(f.to()));
        }
        return String.join(" and ", clauses);
    }

    private record Row(RunPage.RunSummary summary, Instant createdAt) {
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        // the cursor keeps the database's microseconds exactly; Instant from a Timestamp does
        Instant created = rs.getTimestamp("created_at").toInstant();
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Row(new RunPage.RunSummary(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                rs.getString("status"), rs.getString("strategy"), rs.getString("model"),
                rs.getObject("experiment_id", UUID.class), created, finished == null ? null : finished.toInstant(),
                rs.getString("extracted"), rs.getString("outcome"), rs.getLong("used_tokens"),
                rs.getLong("used_calls"), Math.max(0, Math.round(rs.getDouble("duration_ms"))),
                rs.getString("error_code")), created);
    }
}
