package dev.verigen.orchestrator.budgets;

import dev.verigen.orchestrator.strategies.RunState;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Per-run budgets. Reservation is one conditional UPDATE, so concurrent steps can never take more than the
 * cap together; settling moves a job's reservation into what it really used.
 */
@Repository
public class BudgetRepository {

    private final JdbcClient jdbc;

    public BudgetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void createForRun(UUID runId, String tenant, Long maxTokens, Long maxCalls) {
        jdbc.sql("""
                insert into budgets (id, scope, tenant_id, run_id, max_tokens, max_calls)
                values (:id, 'run', :tenant, :run, :maxTokens, :maxCalls)""")
                .param("id", UUID.randomUUID()).param("tenant", tenant).param("run", runId)
                .param("maxTokens", maxTokens).param("maxCalls", maxCalls)
                .update();
    }

    /** @return whether the budget had room; nothing is reserved when it had not */
    public boolean reserve(UUID runId, long tokens, long calls) {
        return jdbc.sql("""
                update budgets
                   set reserved_tokens = reserved_tokens + :tokens, reserved_calls = reserved_calls + :calls
                 where run_id = :run
                   and (max_tokens is null or used_tokens + reserved_tokens + :tokens <= max_tokens)
                   and (max_calls is null or used_calls + reserved_calls + :calls <= max_calls)""")
                .param("tokens", tokens).param("calls", calls).param("run", runId)
                .update() == 1;
    }

    /** Releases a job's reservation and books what it really used. */
    public void settle(UUID runId, long reservedTokens, long reservedCalls, long usedTokens, long usedCalls) {
        jdbc.sql("""
                update budgets
                   set reserved_tokens = greatest(0, reserved_tokens - :reservedTokens),
                       reserved_calls  = greatest(0, reserved_calls - :reservedCalls),
                       used_tokens     = used_tokens + :usedTokens,
                       used_calls      = used_calls + :usedCalls
                 where run_id = :run""")
                .param("reservedTokens", reservedTokens).param("reservedCalls", reservedCalls)
                .param("usedTokens", usedTokens).param("usedCalls", usedCalls).param("run", runId)
                .update();
    }

    public RunState.Budget forRun(UUID runId) {
        return jdbc.sql("""
                select max_tokens, max_calls, used_tokens, used_calls, reserved_tokens, reserved_calls
                  from budgets where run_id = :run""")
                .param("run", runId)
                .query((rs, i) -> new RunState.Budget(
                        (Long) rs.getObject("max_tokens"), (Long) rs.getObject("max_calls"),
                        rs.getLong("used_tokens"), rs.getLong("used_calls"),
                        rs.getLong("reserved_tokens"), rs.getLong("reserved_calls")))
                .optional()
                .orElse(RunState.Budget.UNLIMITED);
    }
}
