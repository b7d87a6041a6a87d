package dev.verigen.bench.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.harness.Workers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The literature sections run end to end on a few tasks; the simulated judge as verifier and as scorer. */
class LiteratureBenchTest {

    private static final List<Task> TASKS = SimMathSuite.tasks(12, 7);

    @Test
    void everySectionRunsOnAFewTasks() {
        var world = SimWorkers.World.STRICT;
        assertThat(LiteratureBench.astar(TASKS, 7, 40_000, world)).isNotNull();
        assertThat(LiteratureBench.abort(TASKS, 7, 40_000, world)).isNotNull();
        assertThat(LiteratureBench.prune(TASKS, 7, 40_000, world)).isNotNull(); // a checkpoint past short samples
        assertThat(LiteratureBench.epf(TASKS, 7, 40_000, world)).isNotNull();
        assertThat(LiteratureBench.solveOrVerify(TASKS, 7, 40_000, world)).isNotNull();
        assertThat(LiteratureBench.flaws(TASKS, 7, world, SimMathSuite.tasks(24, 1001), 1001, 2)).isNotNull();
    }

    @Test
    void theJudgeVerifiesWithoutTheReferenceAndItsScoringSpendsTokens() {
        var judge = new SimWorkers(7, SimWorkers.World.STRICT, SimWorkers.Verification.JUDGE);
        var oracle = new SimWorkers(7);
        Task task = TASKS.getFirst();
        String text = "Step 1: add.\nAnswer: " + task.reference();

        Workers.Checked verdict = judge.verify(task.prompt(), task.reference(), text);
        assertThat(judge.verify(task.prompt(), "no reference at all", text).outcome()).isEqualTo(verdict.outcome());
        assertThat(oracle.verify(task.prompt(), task.reference(), text).outcome()).isEqualTo(Verdict.Outcome.PASS);
        assertThat(oracle.verify(task.prompt(), "-1", text).outcome()).isEqualTo(Verdict.Outcome.FAIL);
        assertThat(judge.grade(task.reference(), text)).isTrue();

        Workers.Scored scored = judge.scoreWithUsage("judge:sim-math:k=4", task.prompt(), text);
        assertThat(scored.value()).isIn(0.0, 0.25, 0.5, 0.75, 1.0);
        assertThat(scored.tokens()).isGreaterThan(4 * 10);
        assertThat(judge.scoreWithUsage("sim-orm", task.prompt(), text).tokens()).isZero();
    }
}
