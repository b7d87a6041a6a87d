package dev.verigen.orchestrator.experiments;

import dev.verigen.orchestrator.allocation.CurveBook;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Learned scaling curves, one book per (tenant, model pool, task suite, allocation strategy), reused by the tenant's
 * later experiments. The tenant is always the experiment's: a curve is learned from one tenant's runs and never seen
 * or overwritten by another tenant's experiments.
 */
@Repository
public class ScalingCurveRepository {

    public static final String COMPUTE_OPTIMAL = CellRequests.COMPUTE_OPTIMAL;

    private final JdbcClient jdbc;

    public ScalingCurveRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The book {@code experiment}'s tenant has learned for this pool and suite. */
    public Optional<CurveBook> find(UUID experiment, String pool, String suite) {
        return jdbc.sql("""
                select curve::text from scaling_curves
                where tenant_id = (select tenant_id from experiments where id = :experiment)
                  and pool = :pool and suite = :suite and strategy = :s""")
                .param("experiment", experiment).param("pool", pool).param("suite", suite).param("s", COMPUTE_OPTIMAL)
                .query(String.class).optional().map(CurveBook::fromJson);
    }

    /** Stores what {@code experiment} learned as its tenant's book for the pool and suite. */
    public void save(CurveBook book, int observations, UUID experiment) {
        jdbc.sql("""
                insert into scaling_curves (tenant_id, pool, suite, strategy, curve, observations, experiment_id)
                select e.tenant_id, :pool, :suite, :s, :curve::jsonb, :n, e.id from experiments e where e.id = :experiment
                on conflict (tenant_id, pool, suite, strategy) do update set curve = excluded.curve,
                    observations = excluded.observations, experiment_id = excluded.experiment_id, updated_at = now()""")
                .param("pool", book.pool()).param("suite", book.suite()).param("s", COMPUTE_OPTIMAL)
                .param("curve", book.toJson()).param("n", observations).param("experiment", experiment).update();
    }
}
