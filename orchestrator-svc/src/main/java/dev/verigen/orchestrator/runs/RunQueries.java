package dev.verigen.orchestrator.runs;

import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.orchestrator.runs.RunRepository.RunRow;
import dev.verigen.orchestrator.traces.TraceRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads runs back for the API. */
@Component
public class RunQueries {

    /** The engine backend name of the simulator; anything it produced is marked as simulated. */
    static final String SIMULATOR_BACKEND = "sim";

    private final JdbcClient jdbc;
    private final RunRepository runs;
    private final BudgetRepository budgets;
    private final TraceRepository traces;

    public RunQueries(JdbcClient jdbc, RunRepository runs, BudgetRepository budgets, TraceRepository traces) {
        this.jdbc = jdbc;
        this.runs = runs;
        this.budgets = budgets;
        this.traces = traces;
    }

    public Optional<RunView> find(UUID id, String tenant) {
        return runs.find(id, tenant).map(this::view);
    }

    // Verdicts and scores are looked up per candidate (lateral, by their primary keys; the limit keeps the planner from
    // flattening the lookup back into a join): a plain join let the planner,
    // with statistics that lag a growing table, hash the whole verdicts and scores tables for every read of a run
    // (95 ms and 44,000 rows per GET after a few thousand runs, issue 15); this stays a few index probes at any size.
    private RunView view(RunRow run) {
        String verifier = run.spec().verifier() == null ? "" : run.spec().verifier().type();
        String scorer = run.spec().rewardModel() == null ? "" : run.spec().rewardModel();
        List<RunView.CandidateView> candidates = jdbc.sql("""
                select c.id, c.idx, c.text, v.extracted, v.outcome, v.evidence, s.value, c.completion_tokens,
                       c.finish_reason, c.pool, c.backend
                  from candidates c
                  left join lateral (select extracted, outcome, evidence from verdicts
                                      where candidate_id = c.id and verifier = :verifier limit 1) v on true
                  left join lateral (select value from scores where candidate_id = c.id and scorer = :scorer limit 1) s on true
                 where c.run_id = :run
                 order by c.idx""")
                .param("run", run.id()).param("verifier", verifier).param("scorer", scorer)
                .query((rs, i) -> new RunView.CandidateView(rs.getObject(1, UUID.class), rs.getInt(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), (Double) rs.getObject(7),
                        rs.getLong(8), rs.getString(9), rs.getString(10), rs.getString(11),
                        SIMULATOR_BACKEND.equals(rs.getString(11))))
                .list();
        RunView.Result result = candidates.stream()
                .filter(c -> c.id().equals(run.selectedCandidateId()))
                .findFirst()
                .map(c -> new RunView.Result(c.id(), c.text(), c.extracted(), c.verdict(), c.score(), run.resultReason()))
                .orElse(null);
        var b = budgets.forRun(run.id());
        var overrun = budgets.overrunForRun(run.id());
        return new RunView(run.id(), run.status().name(), run.createdAt(), run.finishedAt(), run.spec(), run.input(),
                result, traces.totalUsage(run.id()),
                new RunView.BudgetView(b.maxTokens(), b.maxCalls(), b.maxFlops(), b.usedTokens(), b.usedCalls(),
                        b.usedFlops(), b.reservedTokens(), b.reservedCalls(), b.reservedFlops(), overrun.tokens(),
                        overrun.calls(), overrun.flops()),
                candidates, run.errorCode() == null ? null : new RunView.Error(run.errorCode(), run.errorDetail()),
                run.traceId());
    }
}
