package dev.verigen.orchestrator.budgets;

import dev.verigen.orchestrator.strategies.RunState;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Budgets of runs and tenants, in tokens, model calls and estimated FLOPs. A job's reservation is taken from its
 * run's row and, when the run's tenant has a budget of its own, from the run's lease of the tenant's budget: a block
 * reserved on the tenant's row (topped up when it runs short, given back when the run ends), so a tenant's runs do
 * not queue for the tenant's row on every job. Each reservation is one conditional UPDATE that re-checks the caps
 * under the row's lock, so concurrent jobs and runs can never hold or spend more than a cap together (a tenant's row
 * holds every lease as reserved). Settling releases a job's reservation and books what it really used.
 * <p>
 * Rows are always locked run row first, then tenant row, so two transactions never wait on each other in a cycle.
 * Every caller runs inside a transaction (the run row is locked by then).
 */
@Repository
public class BudgetRepository {

    private static final String COLUMNS = """
            id, max_tokens, max_calls, max_flops, used_tokens, used_calls, used_flops, reserved_tokens, reserved_calls,
            reserved_flops""";

    private static final String ADD_RESERVATION = """
            reserved_tokens = reserved_tokens + :tokens, reserved_calls = reserved_calls + :calls,
            reserved_flops = reserved_flops + :flops""";

    private static final String HAS_ROOM = """
            (max_tokens is null or used_tokens + reserved_tokens + :tokens <= max_tokens)
            and (max_calls is null or used_calls + reserved_calls + :calls <= max_calls)
            and (max_flops is null or used_flops + reserved_flops + :flops <= max_flops)""";

    /**
     * Releases the reservation and books the usage, each unit as far as its cap leaves room once the reservation is
     * released ({@link #BOOKABLE}); the rest goes to {@code overrun_*}. So {@code used + reserved <= max} holds after
     * every settlement, even for a job that spent more than it reserved or a late result that reserved nothing any
     * more, and {@code used + overrun} is what was really spent.
     */
    private static final String SETTLE = """
            reserved_tokens = greatest(0, reserved_tokens - :reservedTokens),
            reserved_calls  = greatest(0, reserved_calls - :reservedCalls),
            reserved_flops  = greatest(0, reserved_flops - :reservedFlops),
            used_tokens     = used_tokens + %1$s,
            used_calls      = used_calls + %2$s,
            used_flops      = used_flops + %3$s,
            overrun_tokens  = overrun_tokens + :usedTokens - %1$s,
            overrun_calls   = overrun_calls + :usedCalls - %2$s,
            overrun_flops   = overrun_flops + :usedFlops - %3$s""".formatted(
            bookable("tokens", "usedTokens", "reservedTokens"), bookable("calls", "usedCalls", "reservedCalls"),
            bookable("flops", "usedFlops", "reservedFlops"));

    /** The part of a unit's usage that fits under its cap (SET expressions read the row as it was before). */
    private static String bookable(String unit, String used, String reserved) {
        return "least(:%2$s, case when max_%1$s is null then :%2$s else greatest(0, max_%1$s - used_%1$s - greatest(0, reserved_%1$s - :%3$s)) end)"
                .formatted(unit, used, reserved);
    }

    /** What the run's lease has free, and what the run may still reserve under its own caps (null: no cap). */
    private static final String RUN_ROOM = """
            lease_budget_id, lease_tokens - leased_used_tokens - leased_reserved_tokens as free_tokens,
            lease_calls - leased_used_calls - leased_reserved_calls as free_calls,
            lease_flops - leased_used_flops - leased_reserved_flops as free_flops,
            max_tokens - used_tokens - reserved_tokens as left_tokens, max_calls - used_calls - reserved_calls as left_calls,
            max_flops - used_flops - reserved_flops as left_flops""";

    private static final String ADD_LEASED = """
            leased_reserved_tokens = leased_reserved_tokens + :tokens, leased_reserved_calls = leased_reserved_calls + :calls,
            leased_reserved_flops = leased_reserved_flops + :flops""";

    private static final String SETTLE_LEASED = """
            leased_reserved_tokens = greatest(0, leased_reserved_tokens - :reservedTokens),
            leased_reserved_calls  = greatest(0, leased_reserved_calls - :reservedCalls),
            leased_reserved_flops  = greatest(0, leased_reserved_flops - :reservedFlops),
            leased_used_tokens     = leased_used_tokens + :usedTokens,
            leased_used_calls      = leased_used_calls + :usedCalls,
            leased_used_flops      = leased_used_flops + :usedFlops""";

    private final JdbcClient jdbc;
    private final LeaseReturns returns;

    public BudgetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.returns = new LeaseReturns(jdbc);
    }

    /** @param maxTokens, maxCalls, maxFlops the run's caps; null means no cap */
    public void createForRun(UUID runId, String tenant, Long maxTokens, Long maxCalls, Double maxFlops) {
        jdbc.sql("""
                insert into budgets (id, scope, tenant_id, run_id, max_tokens, max_calls, max_flops)
                values (:id, 'run', :tenant, :run, :maxTokens, :maxCalls, :maxFlops)""")
                .param("id", UUID.randomUUID()).param("tenant", tenant).param("run", runId)
                .param("maxTokens", maxTokens).param("maxCalls", maxCalls).param("maxFlops", exact(maxFlops))
                .update();
    }

    /**
     * Holds {@code amount} for a job against the run's budget and the tenant's (if it has one), or against neither.
     * The tenant's part comes from the run's lease when it has room; otherwise the lease is topped up from the
     * tenant's row by a block (what is missing, plus up to {@link #LEASE_FACTOR} - 1 more jobs of this size, never
     * more than the run could still spend nor more than a {@link #LEASE_SHARE}th of what the tenant has left, so a
     * nearly spent budget is not stranded in other runs' leases). When the tenant's row refuses, the run's reservation
     * is taken back in the same transaction.
     */
    public Reservation reserve(UUID runId, String tenant, Amount amount) {
        Optional<RunRoom> room = jdbc.sql("update budgets set " + ADD_RESERVATION + " where run_id = :run and "
                        + HAS_ROOM + " returning " + RUN_ROOM)
                .params(amount(amount)).param("run", runId).query(BudgetRepository::runRoom).optional();
        if (room.isEmpty()) {
            return refusal(Reservation.Scope.RUN, amount, jdbc.sql("select " + COLUMNS + " from budgets where run_id = :run")
                    .param("run", runId).query(BudgetRepository::row).optional());
        }
        RunRoom r = room.get();
        if (r.leaseBudget() != null && r.leaseFits(amount)) {
            // the common case once a run has a lease: one row, the run's own, is touched
            jdbc.sql("update budgets set " + ADD_LEASED + " where run_id = :run")
                    .params(amount(amount)).param("run", runId).update();
            return new Reservation.Granted(r.leaseBudget());
        }
        DeferredLeases deferred = DeferredLeases.current(jdbc, returns);
        if (deferred != null) {
            Optional<Reservation> taken = deferLease(deferred, runId, tenant, amount, r);
            if (taken.isPresent()) {
                return taken.get();
            }
        }
        // no key update: a key-share lock is what every insert of a step that names this row as its tenant budget
        // takes (the foreign key), and "for update" would make each of those wait for this transaction to commit —
        // one tenant's runs serialised on its row. Lock-takers of the row still exclude each other.
        Optional<BudgetRow> tenantRow = jdbc.sql("select " + COLUMNS
                        + " from budgets where scope = 'tenant' and tenant_id = :tenant for no key update")
                .param("tenant", tenant).query(BudgetRepository::row).optional();
        if (tenantRow.isEmpty()) {
            return new Reservation.Granted(null);
        }
        BudgetRow t = tenantRow.get();
        Amount need = r.missing(amount);
        Amount block = block(need, amount, r, t);
        // the caps are checked again by the UPDATE itself, under the row's lock: it alone decides
        boolean held = holdOnRow(jdbc, t.id(), block);
        if (!held && returns.apply(t.id()) > 0) {
            // returns still queued held part of the room: with them applied, the row answers as it would have
            held = holdOnRow(jdbc, t.id(), block);
        }
        if (!held && !block.equals(need)) {
            block = need;
            held = holdOnRow(jdbc, t.id(), block);
        }
        if (held) {
            addToLease(runId, t.id(), block, amount);
            return new Reservation.Granted(t.id());
        }
        jdbc.sql("""
                update budgets set reserved_tokens = reserved_tokens - :tokens, reserved_calls = reserved_calls - :calls,
                                   reserved_flops = reserved_flops - :flops
                 where run_id = :run""")
                .params(amount(amount)).param("run", runId).update();
        // the tenant row is still locked by this transaction: the refusal is explained as the UPDATE saw it
        return refusal(Reservation.Scope.TENANT, r.leaseBudget() == null ? amount : need, findById(t.id()));
    }

    /**
     * The deferred way to top a lease up ({@link DeferredLeases}): the block is sized from the tenant's row as last
     * committed, less what this transaction has deferred on it already, recorded on the run's row now and reserved on
     * the tenant's row at the commit. Empty when that view of the row has no room for what is missing: the caller takes
     * the row's lock and decides as always.
     */
    private Optional<Reservation> deferLease(DeferredLeases deferred, UUID runId, String tenant, Amount amount,
                                             RunRoom r) {
        Optional<BudgetRow> seen = jdbc.sql("select " + COLUMNS + " from budgets where scope = 'tenant' and tenant_id = :tenant")
                .param("tenant", tenant).query(BudgetRepository::row).optional();
        if (seen.isEmpty()) {
            return Optional.of(new Reservation.Granted(null));
        }
        BudgetRow t = seen.get().plusReserved(deferred.pendingOn(seen.get().id()));
        Amount need = r.missing(amount);
        if (!t.refusing(need).isEmpty()) {
            return Optional.empty();
        }
        Amount block = block(need, amount, r, t);
        addToLease(runId, t.id(), block, amount);
        deferred.add(t.id(), block);
        return Optional.of(new Reservation.Granted(t.id()));
    }

    /** Reserves {@code amount} on a budget row if its caps leave room; the UPDATE alone decides, under the row's lock. */
    static boolean holdOnRow(JdbcClient jdbc, UUID budgetId, Amount amount) {
        return jdbc.sql("update budgets set " + ADD_RESERVATION + " where id = :id and " + HAS_ROOM)
                .params(amount(amount)).param("id", budgetId).update() == 1;
    }

    private void addToLease(UUID runId, UUID tenantBudgetId, Amount block, Amount job) {
        jdbc.sql("update budgets set lease_budget_id = :lease, lease_tokens = lease_tokens + :leaseTokens,"
                        + " lease_calls = lease_calls + :leaseCalls, lease_flops = lease_flops + :leaseFlops, "
                        + ADD_LEASED + " where run_id = :run")
                .params(amount(job)).param("lease", tenantBudgetId).param("leaseTokens", block.tokens())
                .param("leaseCalls", block.calls()).param("leaseFlops", block.exactFlops()).param("run", runId)
                .update();
    }

    /** Jobs of this size a lease block holds (the first job, and up to this many minus one more). */
    static final int LEASE_FACTOR = 4;
    /** A block takes at most this fraction (1/n) of what the tenant has left beyond what is missing. */
    static final int LEASE_SHARE = 32;

    /** What a top-up takes from the tenant: what is missing, plus a block bounded as {@link #reserve} says. */
    private static Amount block(Amount need, Amount job, RunRoom run, BudgetRow tenant) {
        Reservation.Remaining left = tenant.remaining();
        long tokens = need.tokens() + extra(job.tokens() * (LEASE_FACTOR - 1), run.leftTokens(),
                left.tokens() == null ? null : left.tokens() - need.tokens());
        long calls = need.calls() + extra(job.calls() * (LEASE_FACTOR - 1), run.leftCalls(),
                left.calls() == null ? null : left.calls() - need.calls());
        double flops = need.flops() + Math.floor(extraFlops(job.flops() * (LEASE_FACTOR - 1), run.leftFlops(),
                left.flops() == null ? null : left.flops() - need.flops()));
        return new Amount(tokens, calls, flops);
    }

    private static long extra(long wanted, Long runLeft, Long tenantLeft) {
        long e = wanted;
        if (runLeft != null) {
            e = Math.min(e, runLeft);
        }
        if (tenantLeft != null) {
            e = Math.min(e, tenantLeft / LEASE_SHARE);
        }
        return Math.max(0, e);
    }

    private static double extraFlops(double wanted, Double runLeft, Double tenantLeft) {
        double e = wanted;
        if (runLeft != null) {
            e = Math.min(e, runLeft);
        }
        if (tenantLeft != null) {
            e = Math.min(e, tenantLeft / LEASE_SHARE);
        }
        return Math.max(0, e);
    }

    /**
     * A run's row after its reservation: the tenant row its lease is from (null: none), what the lease has free, and
     * what the run may still reserve under its own caps (null: no cap).
     */
    private record RunRoom(UUID leaseBudget, long freeTokens, long freeCalls, BigDecimal freeFlops, Long leftTokens,
                           Long leftCalls, Double leftFlops) {

        boolean leaseFits(Amount a) {
            return a.tokens() <= freeTokens && a.calls() <= freeCalls && a.exactFlops().compareTo(freeFlops) <= 0;
        }

        /** What the lease lacks for {@code a}, per unit (all of it without a lease). */
        Amount missing(Amount a) {
            if (leaseBudget == null) {
                return a;
            }
            double flops = a.exactFlops().subtract(freeFlops).max(BigDecimal.ZERO).doubleValue();
            return new Amount(Math.max(0, a.tokens() - freeTokens), Math.max(0, a.calls() - freeCalls), flops);
        }
    }

    private static RunRoom runRoom(ResultSet rs, int i) throws SQLException {
        BigDecimal leftFlops = rs.getBigDecimal("left_flops");
        return new RunRoom(rs.getObject("lease_budget_id", UUID.class), rs.getLong("free_tokens"),
                rs.getLong("free_calls"), rs.getBigDecimal("free_flops"), (Long) rs.getObject("left_tokens"),
                (Long) rs.getObject("left_calls"), leftFlops == null ? null : leftFlops.doubleValue());
    }

    /**
     * Gives back what the run's lease holds beyond its jobs still in flight, and books what the lease spent, on the
     * tenant's row — queued ({@link LeaseReturns}), so the run does not wait for the tenant's row to end. Called when
     * the run has ended (and again as its last jobs settle), in the caller's transaction.
     */
    public void releaseLease(UUID runId) {
        returns.queue(runId);
    }

    /**
     * Applies the tenant's queued lease returns to its row, so it shows every ended run's spending; in the caller's
     * transaction (which then holds the row's lock to its commit).
     *
     * @return how many were applied
     */
    public int applyLeaseReturns(UUID tenantBudgetId) {
        return returns.apply(tenantBudgetId);
    }

    /** Tenant rows with lease returns queued. */
    public List<UUID> tenantsWithLeaseReturns() {
        return returns.pending();
    }

    private static Reservation.Refused refusal(Reservation.Scope scope, Amount wanted, Optional<BudgetRow> row) {
        // read after the refusing UPDATE without its lock: other jobs may have moved it since, so this explains the
        // refusal as well as it can; the UPDATE alone decided it
        List<Reservation.Unit> units = row.map(r -> r.refusing(wanted)).filter(u -> !u.isEmpty())
                .orElse(List.of(Reservation.Unit.values()));
        Reservation.Remaining left = row.map(BudgetRow::remaining).orElse(new Reservation.Remaining(0L, 0L, 0.0));
        return new Reservation.Refused(scope, units, wanted, left);
    }

    /**
     * Releases a job's reservation and books what it really used, on the run's row; a job that held a tenant's
     * budget ({@code tenantBudgetId}, null: none did) held it through the run's lease, whose books are on the run's
     * row too (the tenant's row hears of it when the lease goes back). A run without a lease (its job was reserved
     * on the tenant's row directly, before leases) settles on the tenant's row as it was reserved.
     */
    public void settle(UUID runId, UUID tenantBudgetId, Amount reserved, Amount used) {
        if (tenantBudgetId == null) {
            jdbc.sql("update budgets set " + SETTLE + " where run_id = :run")
                    .params(settlement(reserved, used)).param("run", runId).update();
            return;
        }
        UUID lease = jdbc.sql("update budgets set " + SETTLE + ", " + SETTLE_LEASED
                        + " where run_id = :run returning lease_budget_id")
                .params(settlement(reserved, used)).param("run", runId).query(UUID.class).optional().orElse(null);
        if (lease == null) {
            jdbc.sql("update budgets set " + SETTLE + " where id = :id")
                    .params(settlement(reserved, used)).param("id", tenantBudgetId).update();
        }
    }

    /** What the run's jobs spent beyond its caps (booked nowhere else): tokens, calls, FLOPs. */
    public Amount overrunForRun(UUID runId) {
        return jdbc.sql("select overrun_tokens, overrun_calls, overrun_flops from budgets where run_id = :run")
                .param("run", runId)
                .query((rs, i) -> new Amount(rs.getLong(1), rs.getLong(2), rs.getBigDecimal(3).doubleValue()))
                .optional().orElse(Amount.ZERO);
    }

    public RunState.Budget forRun(UUID runId) {
        return jdbc.sql("select " + COLUMNS + " from budgets where run_id = :run")
                .param("run", runId)
                .query(BudgetRepository::row)
                .optional()
                .map(b -> new RunState.Budget(b.maxTokens(), b.maxCalls(), b.usedTokens(), b.usedCalls(),
                        b.reservedTokens(), b.reservedCalls(), b.maxFlops(), b.usedFlops(), b.reservedFlops()))
                .orElse(RunState.Budget.UNLIMITED);
    }

    /**
     * The tenant's row with its queued lease returns applied first, so it shows what every ended run spent; in the
     * caller's transaction.
     */
    public Optional<BudgetRow> forTenantUpToDate(String tenant) {
        return forTenant(tenant).map(row -> returns.apply(row.id()) > 0 ? findById(row.id()).orElseThrow() : row);
    }

    /** The tenant's row as stored; lease returns still queued are held in it as reserved. */
    public Optional<BudgetRow> forTenant(String tenant) {
        return jdbc.sql("select " + COLUMNS + " from budgets where scope = 'tenant' and tenant_id = :tenant")
                .param("tenant", tenant).query(BudgetRepository::row).optional();
    }

    /**
     * Creates the tenant's budget or replaces its caps; what is used and reserved stays as it is. In the caller's
     * transaction.
     *
     * @return whether the row was created
     */
    public boolean putTenant(String tenant, Long maxTokens, Long maxCalls, Double maxFlops) {
        // what ended runs spent is booked under the caps it was spent under, not the new ones
        forTenant(tenant).ifPresent(row -> returns.apply(row.id()));
        UUID id = UUID.randomUUID();
        UUID stored = jdbc.sql("""
                insert into budgets (id, scope, tenant_id, max_tokens, max_calls, max_flops)
                values (:id, 'tenant', :tenant, :maxTokens, :maxCalls, :maxFlops)
                on conflict (tenant_id) where scope = 'tenant'
                do update set max_tokens = excluded.max_tokens, max_calls = excluded.max_calls,
                              max_flops = excluded.max_flops
                returning id""")
                .param("id", id).param("tenant", tenant)
                .param("maxTokens", maxTokens).param("maxCalls", maxCalls).param("maxFlops", exact(maxFlops))
                .query(UUID.class).single();
        return stored.equals(id);
    }

    private Optional<BudgetRow> findById(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from budgets where id = :id").param("id", id)
                .query(BudgetRepository::row).optional();
    }

    private static Map<String, Object> amount(Amount a) {
        return Map.of("tokens", a.tokens(), "calls", a.calls(), "flops", a.exactFlops());
    }

    private static Map<String, Object> settlement(Amount reserved, Amount used) {
        return Map.of("reservedTokens", reserved.tokens(), "reservedCalls", reserved.calls(),
                "reservedFlops", reserved.exactFlops(), "usedTokens", used.tokens(), "usedCalls", used.calls(),
                "usedFlops", used.exactFlops());
    }

    /** FLOPs columns are {@code numeric}: a cap is bound as an exact decimal, never as a float8. */
    private static BigDecimal exact(Double flops) {
        return flops == null ? null : new BigDecimal(flops);
    }

    private static Double decimal(ResultSet rs, String column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        return value == null ? null : value.doubleValue();
    }

    private static BudgetRow row(ResultSet rs, int i) throws SQLException {
        return new BudgetRow(rs.getObject("id", UUID.class), (Long) rs.getObject("max_tokens"),
                (Long) rs.getObject("max_calls"), decimal(rs, "max_flops"), rs.getLong("used_tokens"),
                rs.getLong("used_calls"), decimal(rs, "used_flops"), rs.getLong("reserved_tokens"),
                rs.getLong("reserved_calls"), decimal(rs, "reserved_flops"));
    }
}
