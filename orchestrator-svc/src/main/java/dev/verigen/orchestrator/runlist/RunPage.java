package dev.verigen.orchestrator.runlist;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One page of {@code GET /v1/runs}.
 *
 * @param total      how many runs the filters match (all pages together)
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record RunPage(List<RunSummary> items, long total, String nextCursor) {

    /**
     * A run in a list: enough to choose which to open.
     *
     * @param model      the pool its pipeline generates on
     * @param answer     the selected candidate's extracted answer (its verifier's extraction), null when none
     * @param verdict    the selected candidate's verdict by the run's verifier (PASS, FAIL, ERROR), null when none
     * @param tokens     tokens the run's budget has booked (prompt and completion)
     * @param durationMs from creation to finish (to now while running)
     */
    public record RunSummary(UUID id, String tenant, String status, String strategy, String model, UUID experimentId,
                             Instant createdAt, Instant finishedAt, String answer, String verdict, long tokens,
                             long calls, long durationMs, String errorCode) {
    }
}
