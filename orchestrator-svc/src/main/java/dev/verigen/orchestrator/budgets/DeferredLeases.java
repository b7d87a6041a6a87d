package dev.verigen.orchestrator.budgets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tenant leases a transaction takes from the tenant's row in one step, just before it commits, instead of locking
 * the row at its first run's first job and holding it to the commit. Starting a batch of 100 runs is one transaction:
 * taken one by one, its leases held the tenant's row for the whole batch, and every other run of the tenant (starting,
 * or topping its lease up) waited for it.
 * <p>
 * Only where the work can be done again: {@link #attempt} runs the work with leases deferred, and when the tenant's
 * row cannot cover them all at the commit (the transaction then rolls back) runs it again taking each lease under the
 * row's lock as before, so a tenant near the end of its budget is refused exactly as it would have been.
 */
public final class DeferredLeases implements TransactionSynchronization {

    private static final ScopedValue<Boolean> ALLOWED = ScopedValue.newInstance();

    private final LeaseReturns returns;
    private final Map<UUID, Amount> pending = new LinkedHashMap<>();
    private final JdbcClient jdbc;

    private DeferredLeases(JdbcClient jdbc, LeaseReturns returns) {
        this.jdbc = jdbc;
        this.returns = returns;
    }

    /**
     * Runs {@code work} (which opens its own transaction) with tenant leases deferred to its commit; if the tenant's
     * row refuses them there, runs it once more without deferring. Called inside a transaction already (an
     * experiment's planning starts its runs in its own), it does not defer: the refusal would come at a commit this
     * call does not make, where nothing could do the work again.
     */
    public static <T> T attempt(Supplier<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return work.get();
        }
        try {
            return ScopedValue.where(ALLOWED, true).call(work::get);
        } catch (Refused refused) {
            return work.get();
        }
    }

    /** This transaction's deferred leases, when deferring is allowed here and a transaction is active. */
    static DeferredLeases current(JdbcClient jdbc, LeaseReturns returns) {
        if (!ALLOWED.orElse(false) || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        DeferredLeases bound = (DeferredLeases) TransactionSynchronizationManager.getResource(DeferredLeases.class);
        if (bound == null) {
            bound = new DeferredLeases(jdbc, returns);
            TransactionSynchronizationManager.bindResource(DeferredLeases.class, bound);
            TransactionSynchronizationManager.registerSynchronization(bound);
        }
        return bound;
    }

    /** What this transaction has deferred on the tenant's row so far. */
    Amount pendingOn(UUID tenantBudgetId) {
        return pending.getOrDefault(tenantBudgetId, Amount.ZERO);
    }

    void add(UUID tenantBudgetId, Amount block) {
        pending.merge(tenantBudgetId, block,
                (a, b) -> new Amount(a.tokens() + b.tokens(), a.calls() + b.calls(), a.flops() + b.flops()));
    }

    /**
     * Reserves each tenant's sum of deferred leases on its row, the caps checked by the UPDATE under the row's lock;
     * when one does not fit, its queued returns are applied and it is tried once more, then the transaction fails.
     */
    @Override
    public void beforeCommit(boolean readOnly) {
        pending.forEach((tenantBudget, sum) -> {
            if (!BudgetRepository.holdOnRow(jdbc, tenantBudget, sum)) {
                returns.apply(tenantBudget);
                if (!BudgetRepository.holdOnRow(jdbc, tenantBudget, sum)) {
                    throw new Refused();
                }
            }
        });
    }

    @Override
    public void afterCompletion(int status) {
        TransactionSynchronizationManager.unbindResourceIfPossible(DeferredLeases.class);
    }

    /** The tenant's row could not cover a transaction's deferred leases at its commit; the transaction rolled back. */
    static final class Refused extends RuntimeException {
        Refused() {
            super("the tenant's budget could not cover the deferred leases at commit", null, false, false);
        }
    }
}
