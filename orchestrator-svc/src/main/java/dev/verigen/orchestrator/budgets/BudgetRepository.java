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
 * run's row and, when the run's tenant has a budget of its own, from the tenant's row too. Each is one conditional
 * UPDATE that re-checks the caps under the row's lock, so concurrent jobs and runs can never hold or spend more than
 * a cap together. Settling releases a job's reservation and books what it really used on the same rows.
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

    private final JdbcClient jdbc;

    public BudgetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
     * When the tenant's row refuses, the run's reservation is taken back in the same transaction.
     */
    public Reservation reserve(UUID runId, String tenant, Amount amount) {
        boolean runHeld = jdbc.sql("update budgets set " + ADD_RESERVATION + " where run_id = :run and " + HAS_ROOM)
                .params(amount(amount)).param("run", runId).update() == 1;
        if (!runHeld) {
            return refusal(Reservation.Scope.RUN, amount, jdbc.sql("select " + COLUMNS + " from budgets where run_id = :run")
                    .param("run", runId).query(BudgetRepository::row).optional());
        }
        // One round trip whether or not the tenant has a budget: t finds the row, u reserves on it if it has room.
        TenantHold hold = jdbc.sql("""
                with t as (select id from budgets where scope = 'tenant' and tenant_id = :tenant),
                     u as (update budgets set %s where id = (select id from t) and %s returning id)
                select (select id from t) as budget, (select id from u) as held""".formatted(ADD_RESERVATION, HAS_ROOM))
                .params(amount(amount)).param("tenant", tenant)
                .query((rs, i) -> new TenantHold(rs.getObject("budget", UUID.class), rs.getObject("held", UUID.class)))
                .single();
        if (hold.budget() == null || hold.held() != null) {
            return new Reservation.Granted(hold.held());
        }
        jdbc.sql("""
                update budgets set reserved_tokens = reserved_tokens - :tokens, reserved_calls = reserved_calls - :calls,
                                   reserved_flops = reserved_flops - :flops
                 where run_id = :run""")
                .params(amount(amount)).param("run", runId).update();
        return refusal(Reservation.Scope.TENANT, amount, findById(hold.budget()));
    }

    private record TenantHold(UUID budget, UUID held) {
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
     * Releases a job's reservation and books what it really used, on the run's row and on the tenant row that
     * held the reservation too (null: none did).
     */
    public void settle(UUID runId, UUID tenantBudgetId, Amount reserved, Amount used) {
        jdbc.sql("update budgets set " + SETTLE + " where run_id = :run")
                .params(settlement(reserved, used)).param("run", runId).update();
        if (tenantBudgetId != null) {
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

    public Optional<BudgetRow> forTenant(String tenant) {
        return jdbc.sql("select " + COLUMNS + " from budgets where scope = 'tenant' and tenant_id = :tenant")
                .param("tenant", tenant).query(BudgetRepository::row).optional();
    }

    /**
     * Creates the tenant's budget or replaces its caps; what is used and reserved stays as it is.
     *
     * @return whether the row was created
     */
    public boolean putTenant(String tenant, Long maxTokens, Long maxCalls, Double maxFlops) {
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
