package dev.verigen.worker.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimRoleMaterialTest {

    @Test
    void aRefinePromptIsSolvedAsTheTaskItQuotes() {
        String material = "Task:\nCompute 12 + 7 * 3.\n\nPrevious answer:\nStep 1: ...\nAnswer: 40\n\nFeedback:\nwrong";
        assertThat(SimJudgments.underlyingTask(material)).isEqualTo("Compute 12 + 7 * 3.");
        var model = new TaskModel(new SimProperties.SolveRate(2.0, 2.0, 0.0));
        assertThat(model.solveRate(SimJudgments.underlyingTask(material))).isEqualTo(model.solveRate("Compute 12 + 7 * 3."));
        assertThat(model.reference(SimJudgments.underlyingTask(material))).isEqualTo(33);
    }

    @Test
    void aPlainTaskIsItself() {
        assertThat(SimJudgments.underlyingTask("What is 6 * 7?")).isEqualTo("What is 6 * 7?");
    }
}
