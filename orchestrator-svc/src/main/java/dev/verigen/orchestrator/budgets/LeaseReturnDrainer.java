package dev.verigen.orchestrator.budgets;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies queued lease returns to their tenants' rows, each tenant's as one short transaction, every
 * {@code verigen.orchestrator.lease-return-interval} (200 ms). Safe on every instance at once: a return is deleted as
 * it is applied, under the tenant row's lock, so it is applied once.
 */
@Component
class LeaseReturnDrainer {

    private static final Logger log = LoggerFactory.getLogger(LeaseReturnDrainer.class);

    private final BudgetRepository budgets;
    private final TransactionTemplate tx;

    LeaseReturnDrainer(BudgetRepository budgets, TransactionTemplate tx) {
        this.budgets = budgets;
        this.tx = tx;
    }

    @Scheduled(fixedDelayString = "${verigen.orchestrator.lease-return-interval:200ms}",
            initialDelayString = "${verigen.orchestrator.lease-return-interval:200ms}")
    void drain() {
        try {
            for (UUID tenantBudget : budgets.tenantsWithLeaseReturns()) {
                tx.execute(status -> budgets.applyLeaseReturns(tenantBudget));
            }
        } catch (DataAccessException e) {
            // the database is away (a restart, a failover): the returns stay queued for the next round
            log.warn("lease returns not applied this round: {}", e.getMessage());
        }
    }
}
