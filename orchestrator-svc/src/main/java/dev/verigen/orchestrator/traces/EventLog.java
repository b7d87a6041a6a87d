package dev.verigen.orchestrator.traces;

import dev.verigen.contracts.Json;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The per-run progress log that event streams read. Events are written in the transaction that causes them, so a
 * reader never sees progress that was rolled back and never misses progress that committed.
 */
@Repository
public class EventLog {

    private final JdbcClient jdbc;

    public EventLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void append(UUID runId, String type, Map<String, ?> data) {
        jdbc.sql("insert into run_events (run_id, type, data) values (:run, :type, cast(:data as jsonb))")
                .param("run", runId).param("type", type).param("data", Json.writeString(data)).update();
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
