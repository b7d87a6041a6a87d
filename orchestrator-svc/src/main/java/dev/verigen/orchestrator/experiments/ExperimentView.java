package dev.verigen.orchestrator.experiments;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An experiment and how far it got.
 *
 * @param arms per arm: cells started, in flight and finished; {@code planned} is null for a batch arm, whose
 *             number of runs its allocator decides as it goes
 */
public record ExperimentView(UUID id, String name, String status, String dataset, int items, List<Long> seeds,
                             int concurrency, List<ArmProgress> arms, String error, Instant createdAt,
                             Instant finishedAt, Links links) {

    public record ArmProgress(String name, String strategy, String pool, String budget, Long planned, long started,
                              long running, long succeeded, long failed, long cancelled, long graded) {
    }

    public record Links(String self, String results, String csv, String table, String runs) {
    }
}
