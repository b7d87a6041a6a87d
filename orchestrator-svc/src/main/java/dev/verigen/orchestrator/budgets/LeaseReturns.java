package dev.verigen.orchestrator.budgets;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue of lease returns (table {@code lease_returns}). A run that ends writes what its lease gives back and what
 * it spent as one row, without touching the tenant's row, so a tenant's runs never wait for each other's locks to end;
 * {@link #apply} moves a tenant's queued returns to its row under one lock, as one statement.
 * <p>
 * Lock order: whoever deletes returns holds the tenant's row first ({@link #apply} locks it before anything else, and
 * {@link BudgetRepository#reserve} calls it with the row already locked), so no two transactions wait on each other
 * in a cycle.
 */
final class LeaseReturns {

    private final JdbcClient jdbc;

    LeaseReturns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Queues the run's return: what its lease holds beyond its jobs still in flight goes back, what the lease spent is
     * booked; the run's lease shrinks to its jobs in flight. Nothing is queued when there is nothing to return (a
     * second call as the last jobs settle queues only what they changed). In the caller's transaction.
     */
    void queue(UUID runId) {
        // "exists (select 1 from r)" reads r before the UPDATE changes the run's row: read after it, r's row-locking
        // read would skip the row this very statement updated, and nothing would be queued
        jdbc.sql("""
                with r as (select lease_budget_id as tid,
                                  greatest(0, lease_tokens - leased_reserved_tokens) as back_tokens,
                                  greatest(0, lease_calls - leased_reserved_calls) as back_calls,
                                  greatest(0, lease_flops - leased_reserved_flops) as back_flops,
                                  leased_used_tokens, leased_used_calls, leased_used_flops
                             from budgets where run_id = :run and lease_budget_id is not null for no key update),
                     q as (insert into lease_returns (tenant_budget_id, back_tokens, back_calls, back_flops,
                                                      used_tokens, used_calls, used_flops)
                           select tid, back_tokens, back_calls, back_flops, leased_used_tokens, leased_used_calls,
                                  leased_used_flops
                             from r
                            where back_tokens > 0 or back_calls > 0 or back_flops > 0 or leased_used_tokens > 0
                               or leased_used_calls > 0 or leased_used_flops > 0)
                update budgets set lease_tokens = least(lease_tokens, leased_reserved_tokens),
                                   lease_calls = least(lease_calls, leased_reserved_calls),
                                   lease_flops = least(lease_flops, leased_reserved_flops),
                                   leased_used_tokens = 0, leased_used_calls = 0, leased_used_flops = 0
                 where run_id = :run and lease_budget_id is not null and exists (select 1 from r)""")
                .param("run", runId).update();
    }

    /**
     * Applies the tenant's queued returns to its row: the sum of what goes back leaves its reserved, the sum of what
     * was spent is booked as used as far as the cap leaves room once that is back, the rest as overrun (as a single
     * return would be). Must run in a transaction: the tenant's row is locked first and stays locked to the commit.
     *
     * @return how many returns were applied
     */
    int apply(UUID tenantBudgetId) {
        jdbc.sql("select id from budgets where id = :id for no key update").param("id", tenantBudgetId)
                .query(UUID.class).optional();
        return jdbc.sql("""
                with d as (delete from lease_returns where tenant_budget_id = :id
                           returning back_tokens, back_calls, back_flops, used_tokens, used_calls, used_flops),
                     r as (select count(*) as n, sum(back_tokens) as back_tokens, sum(back_calls) as back_calls,
                                  sum(back_flops) as back_flops, sum(used_tokens) as leased_used_tokens,
                                  sum(used_calls) as leased_used_calls, sum(used_flops) as leased_used_flops
                             from d),
                     t as (update budgets b
                              set reserved_tokens = greatest(0, b.reserved_tokens - r.back_tokens),
                                  reserved_calls = greatest(0, b.reserved_calls - r.back_calls),
                                  reserved_flops = greatest(0, b.reserved_flops - r.back_flops),
                                  used_tokens = b.used_tokens + %1$s,
                                  used_calls = b.used_calls + %2$s,
                                  used_flops = b.used_flops + %3$s,
                                  overrun_tokens = b.overrun_tokens + r.leased_used_tokens - %1$s,
                                  overrun_calls = b.overrun_calls + r.leased_used_calls - %2$s,
                                  overrun_flops = b.overrun_flops + r.leased_used_flops - %3$s
                             from r where b.id = :id and r.n > 0)
                select n from r""".formatted(bookable("tokens"), bookable("calls"), bookable("flops")))
                .param("id", tenantBudgetId).query(Integer.class).single();
    }

    /** The tenant rows that have returns queued. */
    List<UUID> pending() {
        return jdbc.sql("select distinct tenant_budget_id from lease_returns").query(UUID.class).list();
    }

    /**
     * What of the lease's spending fits under the tenant's cap once the unused part goes back: usage within a lease
     * always does (the lease held it); a late result booked beyond the lease's size may not.
     */
    private static String bookable(String unit) {
        return ("least(r.leased_used_%1$s, case when b.max_%1$s is null then r.leased_used_%1$s"
                + " else greatest(0, b.max_%1$s - b.used_%1$s - greatest(0, b.reserved_%1$s - r.back_%1$s)) end)")
                .formatted(unit);
    }
}
