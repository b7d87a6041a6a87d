package dev.verigen.orchestrator.traces;

import dev.verigen.contracts.Json;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.ArrayList;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.stereotype.Repository;

/**
 * The per-run progress log that event streams read. Events are written in the transaction that causes them, so a
 * reader never sees progress that was rolled back and never misses progress that committed.
 */
@Repository
public class EventLog {

    private static final String INSERT =
            "insert into run_events (run_id, type, data) values (:run, :type, cast(:data as jsonb))";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;

    public EventLog(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * In a transaction the event is written just before it commits, with the transaction's other events in one batch
     * (a result's transaction writes several: one round trip instead of one each); without one, at once.
     */
    public void append(UUID runId, String type, Map<String, ?> data) {
        MapSqlParameterSource row = new MapSqlParameterSource().addValue("run", runId).addValue("type", type)
                .addValue("data", Json.writeString(data));
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            batch.update(INSERT, row);
            return;
        }
        @SuppressWarnings("unchecked")
        List<MapSqlParameterSource> pending = (List<MapSqlParameterSource>) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            List<MapSqlParameterSource> rows = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(this, rows);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    // rows stay in append order: the ids (and so the streams' order) are as if written one by one
                    batch.batchUpdate(INSERT, rows.toArray(MapSqlParameterSource[]::new));
                    rows.clear();
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(EventLog.this);
                }
            });
            pending = rows;
        }
        pending.add(row);
    }

    /** Events of a run after {@code afterId}, oldest first. */
    public List<Event> after(UUID runId, long afterId, int limit) {
        return jdbc.sql("""
                select id, type, data::text from run_events where run_id = :run and id > :after order by id limit :limit""")
                .param("run", runId).param("after", afterId).param("limit", limit)
                .query((rs, i) -> new Event(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    public boolean hasAfter(UUID runId, long afterId) {
        return jdbc.sql("select exists (select 1 from run_events where run_id = :run and id > :after)")
                .param("run", runId).param("after", afterId).query(Boolean.class).single();
    }

    /**
     * The next events of several runs in one query: for each run, up to {@code limitPerRun} events after its own
     * last-seen id, oldest first.
     */
    public List<RunEvent> after(Map<UUID, Long> afterIdByRun, int limitPerRun) {
        if (afterIdByRun.isEmpty()) {
            return List.of();
        }
        List<UUID> runs = List.copyOf(afterIdByRun.keySet());
        return jdbc.sql("""
                select s.run_id, e.id, e.type, e.data::text
                  from unnest(string_to_array(:runs, ',')::uuid[], string_to_array(:afters, ',')::bigint[])
                       as s(run_id, after_id)
                  cross join lateral (select id, type, data from run_events r
                                       where r.run_id = s.run_id and r.id > s.after_id
                                       order by r.id limit :limit) e
                 order by e.id""")
                .param("runs", runs.stream().map(UUID::toString).collect(Collectors.joining(",")))
                .param("afters", runs.stream().map(r -> afterIdByRun.get(r).toString()).collect(Collectors.joining(",")))
                .param("limit", limitPerRun)
                .query((rs, i) -> new RunEvent(rs.getObject(1, UUID.class),
                        new Event(rs.getLong(2), rs.getString(3), rs.getString(4))))
                .list();
    }

    /** @param data the event's JSON object */
    public record Event(long id, String type, String data) {
    }

    public record RunEvent(UUID runId, Event event) {
    }
}
