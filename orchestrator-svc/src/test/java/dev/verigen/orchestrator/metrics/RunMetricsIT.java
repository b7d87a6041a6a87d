package dev.verigen.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.orchestrator.budgets.Amount;
import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.orchestrator.budgets.Reservation;
import dev.verigen.orchestrator.runs.RunRepository.RunRow;
import dev.verigen.orchestrator.runs.RunRepository.RunStatus;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * RunMetrics against the orchestrator's real schema (PostgreSQL: a finished run's candidates and tokens are read from
 * its rows), checked twice: the Micrometer meters with their tags and values, and the Prometheus series those become,
 * by the names and label values the dashboards (k8s/verigen/dashboards/verigen-search.json) and the alert rules
 * (k8s/verigen/alerts) query. A renamed meter or tag, or a label value in another case, empties a panel silently.
 */
class RunMetricsIT {

    private static final TestDatabase DB = TestDatabase.create("runmetrics");
    private static HikariDataSource dataSource;
    private static JdbcClient jdbc;
    private static BudgetRepository budgets;

    private SimpleMeterRegistry simple;
    private PrometheusMeterRegistry prometheus;
    private RunMetrics metrics;

    @BeforeAll
    static void migrate() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(DB.url());
        dataSource.setUsername(DB.user());
        dataSource.setPassword(DB.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        budgets = new BudgetRepository(jdbc);
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        DB.close();
    }

    @BeforeEach
    void registries() {
        simple = new SimpleMeterRegistry();
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CompositeMeterRegistry both = new CompositeMeterRegistry();
        both.add(simple);
        both.add(prometheus);
        metrics = new RunMetrics(both, jdbc, budgets);
    }

    @Test
    void runsCountByStrategyAndOutcomeWithTheCandidatesAndTokensEachSpent() {
        RunRow best = run("acme", "best_of_n", null);
        candidates(best, 3);
        jdbc.sql("update budgets set used_tokens = 1234 where run_id = :run").param("run", best.id()).update();
        RunRow vote = run("acme", "self_consistency", null);
        candidates(vote, 5);
        jdbc.sql("update budgets set used_tokens = 20000 where run_id = :run").param("run", vote.id()).update();
        RunRow failed = run("acme", "best_of_n", null);

        metrics.started("best_of_n");
        metrics.started("best_of_n");
        metrics.started("self_consistency");
        metrics.finished(best, RunStatus.SUCCEEDED, null);
        metrics.finished(vote, RunStatus.SUCCEEDED, null);
        metrics.finished(failed, RunStatus.FAILED, "budget_exhausted");

        assertThat(simple.get("verigen.runs.started").tag("strategy", "best_of_n").counter().count()).isEqualTo(2);
        assertThat(simple.get("verigen.runs.finished").tags("strategy", "best_of_n", "outcome", "succeeded", "code", "none")
                .counter().count()).isEqualTo(1);
        assertThat(simple.get("verigen.runs.finished").tags("strategy", "best_of_n", "outcome", "failed",
                "code", "budget_exhausted").counter().count()).isEqualTo(1);
        var candidates = simple.get("verigen.run.candidates").tag("strategy", "best_of_n").summary();
        assertThat(candidates.count()).isEqualTo(2); // the failed run generated none
        assertThat(candidates.totalAmount()).isEqualTo(3);
        assertThat(simple.get("verigen.run.candidates").tag("strategy", "self_consistency").summary().totalAmount())
                .isEqualTo(5);
        assertThat(simple.get("verigen.run.tokens").tag("strategy", "best_of_n").summary().totalAmount()).isEqualTo(1234);
        assertThat(simple.get("verigen.run.tokens").tag("strategy", "self_consistency").summary().max()).isEqualTo(20000);

        Series scrape = new Series(prometheus.scrape());
        // the search dashboard's strategy variable: label_values(verigen_runs_started_total, strategy)
        assertThat(scrape.value("verigen_runs_started_total", Map.of("strategy", "self_consistency"))).isEqualTo(1);
        // panels and VerigenRunFailureRate: verigen_runs_finished_total{outcome="failed"} by strategy and code
        assertThat(scrape.value("verigen_runs_finished_total", Map.of("strategy", "best_of_n", "outcome", "failed",
                "code", "budget_exhausted"))).isEqualTo(1);
        assertThat(scrape.value("verigen_runs_finished_total", Map.of("strategy", "self_consistency",
                "outcome", "succeeded"))).isEqualTo(1);
        // candidates per run (mean): _sum / _count
        assertThat(scrape.value("verigen_run_candidates_sum", Map.of("strategy", "best_of_n"))).isEqualTo(3);
        assertThat(scrape.value("verigen_run_candidates_count", Map.of("strategy", "best_of_n"))).isEqualTo(2);
        // tokens per run p50/p95: histogram_quantile over verigen_run_tokens_bucket by le
        assertThat(scrape.value("verigen_run_tokens_bucket", Map.of("strategy", "best_of_n", "le", "1000.0"))).isEqualTo(1);
        assertThat(scrape.value("verigen_run_tokens_bucket", Map.of("strategy", "best_of_n", "le", "3000.0"))).isEqualTo(2);
        assertThat(scrape.value("verigen_run_tokens_bucket", Map.of("strategy", "self_consistency", "le", "10000.0")))
                .isEqualTo(0);
        assertThat(scrape.value("verigen_run_tokens_bucket", Map.of("strategy", "self_consistency", "le", "30000.0")))
                .isEqualTo(1);
    }

    @Test
    void verdictsCountByLowercaseOutcomeAndRewardScoresFillTheBucketsTheyFallIn() {
        RunRow run = run("acme", "best_of_n", null);
        metrics.verdicts(run, "numeric", List.of(verdict(Outcome.PASS), verdict(Outcome.FAIL), verdict(Outcome.PASS),
                verdict(Outcome.ERROR)));
        // the simulator's scorer gives last digit / 10: scores on the boundaries themselves are the common case
        metrics.scores(run, "sim-orm", List.of(score(0.05), score(0.15), score(0.3), score(0.55), score(0.7), score(0.95),
                score(1.0), score(1.5), score(-0.2)));
        metrics.scores(run, null, List.of(score(0.5)));

        assertThat(simple.get("verigen.verdicts").tags("strategy", "best_of_n", "verifier", "numeric", "outcome", "pass")
                .counter().count()).isEqualTo(2);
        var scores = simple.get("verigen.reward.score").tags("strategy", "best_of_n", "scorer", "sim-orm").summary();
        assertThat(scores.count()).as("a negative score is not counted").isEqualTo(8);
        Map<Double, Double> buckets = Arrays.stream(scores.takeSnapshot().histogramCounts())
                .collect(Collectors.toMap(CountAtBucket::bucket, CountAtBucket::count));
        assertThat(buckets).containsEntry(10.0, 1.0).containsEntry(20.0, 2.0).containsEntry(30.0, 3.0)
                .containsEntry(50.0, 3.0).containsEntry(60.0, 4.0).containsEntry(70.0, 5.0).containsEntry(90.0, 5.0)
                .containsEntry(100.0, 7.0);
        assertThat(simple.get("verigen.reward.score").tags("scorer", "none").summary().count()).isEqualTo(1);

        Series scrape = new Series(prometheus.scrape());
        // pass rate: verigen_verdicts_total{outcome="pass"} over all outcomes, by strategy and verifier
        assertThat(scrape.value("verigen_verdicts_total", Map.of("strategy", "best_of_n", "verifier", "numeric",
                "outcome", "pass"))).isEqualTo(2);
        assertThat(scrape.value("verigen_verdicts_total", Map.of("verifier", "numeric", "outcome", "error"))).isEqualTo(1);
        // the reward-score distribution panel: verigen_reward_score_percent_bucket by le
        assertThat(scrape.value("verigen_reward_score_percent_bucket", Map.of("strategy", "best_of_n", "scorer", "sim-orm",
                "le", "20.0"))).isEqualTo(2);
        assertThat(scrape.value("verigen_reward_score_percent_bucket", Map.of("scorer", "sim-orm", "le", "30.0"))).isEqualTo(3);
        assertThat(scrape.value("verigen_reward_score_percent_bucket", Map.of("scorer", "sim-orm", "le", "100.0"))).isEqualTo(7);
        assertThat(scrape.value("verigen_reward_score_percent_bucket", Map.of("scorer", "sim-orm", "le", "+Inf"))).isEqualTo(8);
        assertThat(scrape.value("verigen_reward_score_percent_bucket", Map.of("scorer", "none", "le", "50.0"))).isEqualTo(1);
    }

    /** The refusals as RunDriver reports them, from what the real budgets answered. */
    @Test
    void budgetBurnPerTenantAndRefusalsByTheScopeThatRefused() {
        RunRow capped = run("frugal", "best_of_n", 100L);
        var byRun = (Reservation.Refused) budgets.reserve(capped.id(), "frugal", new Amount(500, 1, 0));
        RunRow free = run("thrifty", "best_of_n", null);
        budgets.putTenant("thrifty", 1_000L, null, null);
        var byTenant = (Reservation.Refused) budgets.reserve(free.id(), "thrifty", new Amount(5_000, 1, 0));
        for (Reservation.Refused refused : List.of(byRun, byTenant)) {
            String tenant = refused == byRun ? "frugal" : "thrifty";
            metrics.refused(tenant, refused.scope().label(), refused.units().stream().map(Reservation.Unit::label).toList());
        }
        metrics.spent("thrifty", new Amount(700, 3, 2.5e9));
        metrics.spent("thrifty", new Amount(300, 1, 0));

        assertThat(simple.get("verigen.budget.refusals").tags("tenant", "frugal", "scope", "run", "unit", "tokens")
                .counter().count()).isEqualTo(1);
        assertThat(simple.get("verigen.budget.refusals").tags("tenant", "thrifty", "scope", "tenant", "unit", "tokens")
                .counter().count()).isEqualTo(1);
        assertThat(simple.get("verigen.budget.spent").tags("tenant", "thrifty", "unit", "tokens").counter().count())
                .isEqualTo(1000);
        assertThat(simple.get("verigen.budget.spent").tags("tenant", "thrifty", "unit", "flops").counter().count())
                .isEqualTo(2.5e9);

        Series scrape = new Series(prometheus.scrape());
        // VerigenBudgetRefusals and the refusals panel: verigen_budget_refusals_total by tenant, scope, unit
        assertThat(scrape.value("verigen_budget_refusals_total", Map.of("tenant", "frugal", "scope", "run",
                "unit", "tokens"))).isEqualTo(1);
        assertThat(scrape.value("verigen_budget_refusals_total", Map.of("tenant", "thrifty", "scope", "tenant",
                "unit", "tokens"))).isEqualTo(1);
        // the tenant variable (label_values(verigen_budget_spent_total, tenant)) and the burn panel ({unit="tokens"})
        assertThat(scrape.value("verigen_budget_spent_total", Map.of("tenant", "thrifty", "unit", "tokens"))).isEqualTo(1000);
        assertThat(scrape.value("verigen_budget_spent_total", Map.of("tenant", "thrifty", "unit", "calls"))).isEqualTo(4);
    }

    // ---------------------------------------------------------------- helpers

    private static RunRow run(String tenant, String strategy, Long maxTokens) {
        jdbc.sql("insert into tenants (id, name) values (:t, :t) on conflict do nothing").param("t", tenant).update();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into runs (id, tenant_id, request_hash, strategy, spec, input, status)
                values (:id, :tenant, 'h', :strategy, '{}', '{}', 'RUNNING')""")
                .param("id", id).param("tenant", tenant).param("strategy", strategy).update();
        budgets.createForRun(id, tenant, maxTokens, null, null);
        var spec = new PipelineSpec(strategy, 4, "sim-math", null, null,
                new SamplingParams(0.8, 1.0, 100, 7L, List.of(), false), 60);
        return new RunRow(id, tenant, RunStatus.RUNNING, spec, new RunInput("What is 6 * 7?", "42"), null, null, null,
                null, Instant.now(), null, Map.of(), null);
    }

    private static void candidates(RunRow run, int count) {
        UUID step = UUID.randomUUID();
        jdbc.sql("""
                insert into steps (id, run_id, job_id, seq, kind, status, deadline)
                values (:id, :run, :job, 1, 'GENERATION', 'DONE', now())""")
                .param("id", step).param("run", run.id()).param("job", UUID.randomUUID()).update();
        for (int i = 0; i < count; i++) {
            jdbc.sql("""
                    insert into candidates (id, run_id, step_id, idx, text, pool, backend)
                    values (:id, :run, :step, :idx, 'Answer: 42', 'sim-math', 'sim')""")
                    .param("id", UUID.randomUUID()).param("run", run.id()).param("step", step).param("idx", i).update();
        }
    }

    private static Verdict verdict(Outcome outcome) {
        return new Verdict(UUID.randomUUID(), outcome, "42", null);
    }

    private static Score score(double value) {
        return new Score(UUID.randomUUID(), value);
    }

    /** Prometheus's text exposition, one sample per line: {@code name{label="value",...} number}. */
    record Series(String text) {

        /** The one sample of the series whose labels include the given ones. */
        double value(String name, Map<String, String> labels) {
            List<Double> found = text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                    .filter(l -> labels.entrySet().stream().allMatch(e -> l.contains(e.getKey() + "=\"" + e.getValue() + "\"")))
                    .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).toList();
            assertThat(found).as("%s%s in\n%s", name, labels, text).hasSize(1);
            return found.getFirst();
        }
    }
}
