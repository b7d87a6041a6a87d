package dev.verigen.orchestrator.experiments;

import dev.verigen.orchestrator.allocation.CurveBook;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Learned scaling curves, one book per (model pool, task suite, allocation strategy), reused by later experiments. */
@Repository
public class ScalingCurveRepository {

    public static final String COMPUTE_OPTIMAL = CellRequests.COMPUTE_OPTIMAL;

    private final JdbcClient jdbc;

    public ScalingCurveRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<CurveBook> find(String pool, String suite) {
        return jdbc.sql("select curve::text from scaling_curves where pool = :pool and suite = :suite and strategy = :s")
                .param("pool", pool).param("suite", suite).param("s", COMPUTE_OPTIMAL)
                .query(String.class).optional().map(CurveBook::fromJson);
    }

    public void save(CurveBook book, int observations, UUID experiment) {
        jdbc.sql("""
                insert into scaling_curves (pool, suite, strategy, curve, observations, experiment_id)
                values (:pool, :suite, :s, :curve::jsonb, :n, :experiment)
                on conflict (pool, suite, strategy) do update set curve = excluded.curve,
                    observations = excluded.observations, experiment_id = excluded.experiment_id, updated_at = now()""")
                .param("pool", book.pool()).param("suite", book.suite()).param("s", COMPUTE_OPTIMAL)
                .param("curve", book.toJson()).param("n", observations).param("experiment", experiment).update();
    }
}
