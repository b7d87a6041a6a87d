package dev.verigen.orchestrator.metrics;

import dev.verigen.contracts.Score;
import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.budgets.Amount;
import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.orchestrator.runs.RunRepository.RunRow;
import dev.verigen.orchestrator.runs.RunRepository.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What operators ask of the search itself, per strategy and per tenant (Prometheus names in docs/operations.md):
 * <ul>
 *   <li>{@code verigen.runs.started{strategy}}, {@code verigen.runs.finished{strategy, outcome, code}};</li>
 *   <li>{@code verigen.run.candidates{strategy}} and {@code verigen.run.tokens{strategy}} per finished run;</li>
 *   <li>{@code verigen.verdicts{strategy, verifier, outcome}} (pass rate) and {@code verigen.reward.score{strategy,
 *       scorer}} in percent (Prometheus: {@code verigen_reward_score_percent}; the distribution of scores in [0, 1] as
 *       0 to 100; RMs scoring above 1 count in the +Inf bucket, below zero not at all);</li>
 *   <li>{@code verigen.budget.spent{tenant, unit}} (tokens, calls, FLOPs settled) and
 *       {@code verigen.budget.refusals{tenant, scope, unit}} (a job the run's or the tenant's budget could not pay).</li>
 * </ul>
 * Tenants are a label: as many series as tenants, which is what an operator of a shared platform wants to see.
 */
@Component
public class RunMetrics {

    /**
     * Micrometer's fixed-boundary histograms round every recorded value up to a whole number before bucketing it
     * (micrometer-metrics/micrometer#2341), so buckets at 0.1 … 1.0 would put every score of (0, 1] under le="1.0".
     * Scores are recorded in percent, against whole-number boundaries, where that rounding changes no bucket.
     */
    private static final double[] SCORE_BUCKETS = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    private static final double[] CANDIDATE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
    private static final double[] TOKEN_BUCKETS = {100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000,
            1_000_000, 3_000_000};

    private final MeterRegistry meters;
    private final JdbcClient jdbc;
    private final BudgetRepository budgets;

    public RunMetrics(MeterRegistry meters, JdbcClient jdbc, BudgetRepository budgets) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.budgets = budgets;
    }

    public void started(String strategy) {
        meters.counter("verigen.runs.started", "strategy", strategy).increment();
    }

    /** Called in the transaction that ends the run, so the counts are the run's at its end. */
    public void finished(RunRow run, RunStatus status, String code) {
        String strategy = run.spec().strategy();
        Counter.builder("verigen.runs.finished").tag("strategy", strategy)
                .tag("outcome", status.name().toLowerCase(Locale.ROOT)).tag("code", code == null ? "none" : code)
                .description("runs that ended, by outcome and error code").register(meters).increment();
        Long candidates = jdbc.sql("select count(*) from candidates where run_id = :run").param("run", run.id())
                .query(Long.class).single();
        DistributionSummary.builder("verigen.run.candidates").tag("strategy", strategy)
                .serviceLevelObjectives(CANDIDATE_BUCKETS).description("candidates a run generated")
                .register(meters).record(candidates);
        DistributionSummary.builder("verigen.run.tokens").tag("strategy", strategy).baseUnit("tokens")
                .serviceLevelObjectives(TOKEN_BUCKETS).description("tokens a run spent (as settled when it ended)")
                .register(meters).record(budgets.forRun(run.id()).usedTokens());
    }

    public void verdicts(RunRow run, String verifier, List<Verdict> verdicts) {
        for (Verdict v : verdicts) {
            meters.counter("verigen.verdicts", "strategy", run.spec().strategy(), "verifier", verifier,
                    "outcome", v.outcome().name().toLowerCase(Locale.ROOT)).increment();
        }
    }

    public void scores(RunRow run, String scorer, List<Score> scores) {
        DistributionSummary summary = DistributionSummary.builder("verigen.reward.score")
                .tag("strategy", run.spec().strategy()).tag("scorer", scorer == null ? "none" : scorer)
                .baseUnit("percent").serviceLevelObjectives(SCORE_BUCKETS)
                .description("reward-model scores of candidates, in percent").register(meters);
        // rounded to a hundredth of a percent: 0.3 * 100 is 30.000000000000004, which the histogram's rounding up would
        // put in the 40 bucket
        scores.forEach(s -> summary.record(Math.round(s.value() * 10_000) / 100.0));
    }

    public void spent(String tenant, Amount used) {
        if (used.tokens() > 0) {
            spent(tenant, "tokens").increment(used.tokens());
        }
        if (used.calls() > 0) {
            spent(tenant, "calls").increment(used.calls());
        }
        if (used.flops() > 0) {
            spent(tenant, "flops").increment(used.flops());
        }
    }

    private Counter spent(String tenant, String unit) {
        return Counter.builder("verigen.budget.spent").tag("tenant", tenant).tag("unit", unit)
                .description("budget settled against tenants' runs").register(meters);
    }

    public void refused(String tenant, String scope, List<String> units) {
        for (String unit : units) {
            meters.counter("verigen.budget.refusals", "tenant", tenant, "scope", scope, "unit", unit).increment();
        }
    }
}
