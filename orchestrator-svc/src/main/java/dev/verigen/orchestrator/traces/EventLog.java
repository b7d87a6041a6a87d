package dev.verigen.orchestrator.traces;

import dev.verigen.contracts.Json;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    /** @param data the event's JSON object */
    public record Event(long id, String type, String data) {
    }
}
