package dev.verigen.orchestrator.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The platform's recent activity, as {@code GET /v1/stats/overview} shows it.
 *
 * @param tenant          the tenant it covers; null for an operator's view of every tenant
 * @param minutes         the window, ending now
 * @param runsPerMinute   runs created (status RUNNING counts them) and finished per minute, by status
 * @param usagePerMinute  tokens (prompt + completion) and model calls booked per minute
 * @param verifierPassRate share of verdicts in the window that were PASS; null when there were none
 * @param budgets         each tenant's own budget (caps, used, reserved) and its tokens in the window
 * @param recentFailures  the latest failed runs with their error codes
 */
public record Overview(String tenant, int minutes, Instant from, List<Minute> runsPerMinute,
                       List<UsageMinute> usagePerMinute, Totals totals, Double verifierPassRate, long verdicts,
                       List<TenantBurn> budgets, List<Failure> recentFailures) {

    /** @param counts runs per status in that minute (started runs under RUNNING, finished ones under their end) */
    public record Minute(Instant minute, Map<String, Long> counts) {
    }

    public record UsageMinute(Instant minute, long tokens, long calls) {
    }

    public record Totals(long runs, long succeeded, long failed, long cancelled, long running, long tokens,
                         long calls) {
    }

    /**
     * @param maxTokens null when the tenant has no budget of its own (or no token cap)
     * @param windowTokens tokens its runs booked in the window
     */
    public record TenantBurn(String tenant, Long maxTokens, long usedTokens, long reservedTokens, Long maxCalls,
                             long usedCalls, long windowTokens) {
    }

    public record Failure(UUID runId, String tenant, String strategy, String errorCode, String errorDetail,
                          Instant finishedAt) {
    }
}
