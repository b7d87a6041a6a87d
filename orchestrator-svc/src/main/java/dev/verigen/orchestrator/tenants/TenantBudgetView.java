package dev.verigen.orchestrator.tenants;

import dev.verigen.orchestrator.budgets.BudgetRow;

/**
 * A tenant's own budget, which every run of the tenant reserves against besides its run budget. Caps and
 * remaining figures are null where there is no cap; remaining is never below zero, even under a cap lowered below
 * what was already spent.
 */
public record TenantBudgetView(String tenant, Long maxTokens, Long maxCalls, Double maxFlops, long usedTokens,
                               long usedCalls, double usedFlops, long reservedTokens, long reservedCalls,
                               double reservedFlops, Long remainingTokens, Long remainingCalls,
                               Double remainingFlops) {

    static TenantBudgetView of(String tenant, BudgetRow b) {
        var left = b.remaining();
        return new TenantBudgetView(tenant, b.maxTokens(), b.maxCalls(), b.maxFlops(), b.usedTokens(), b.usedCalls(),
                b.usedFlops(), b.reservedTokens(), b.reservedCalls(), b.reservedFlops(), left.tokens(), left.calls(),
                left.flops());
    }
}
