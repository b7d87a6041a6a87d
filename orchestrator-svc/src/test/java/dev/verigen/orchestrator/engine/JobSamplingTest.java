package dev.verigen.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.Json;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.orchestrator.strategies.Action;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What sampling a generation job is sent with, and that a step's stored action still reads after an upgrade. */
class JobSamplingTest {

    private static final SamplingParams RUN = new SamplingParams(0.8, 0.9, 256, 7L, List.of("\n\n"), false);

    @Test
    void aGenerationThatAsksForLogprobsGetsThemAlthoughTheRunDoesNot() {
        var plain = RunDriver.jobSampling(RUN, Action.Generate.samples("batch-1", 4));
        var asking = RunDriver.jobSampling(RUN, Action.Generate.samples("batch-1", 4).withLogprobs(true));
        assertThat(plain.logprobs()).isFalse();
        assertThat(asking.logprobs()).isTrue();
        assertThat(asking).usingRecursiveComparison().ignoringFields("logprobs").isEqualTo(plain);
        var runAsks = new SamplingParams(0.8, 0.9, 256, 7L, List.of(), true);
        assertThat(RunDriver.jobSampling(runAsks, new Action.Generate(1)).logprobs()).isTrue();
    }

    @Test
    void theGenerationsOwnSettingsAndLabelSeedTheJob() {
        var g = Action.Generate.samples("t1=0.3", 2).withTemperature(0.3).withMaxTokens(8);
        var job = RunDriver.jobSampling(RUN, g);
        assertThat(job.temperature()).isEqualTo(0.3);
        assertThat(job.maxTokens()).isEqualTo(8);
        assertThat(job.topP()).isEqualTo(0.9);
        assertThat(job.stop()).containsExactly("\n\n");
        assertThat(job.seed()).isEqualTo(RunDriver.jobSeed(7L, "t1=0.3")).isNotEqualTo(7L);
    }

    @Test
    void aStoredGenerationWithoutTheLogprobsFieldStillReads() {
        // steps dispatched before generations could ask for logprobs were stored without the field
        var stored = """
                {"label":"batch-1","role":"GENERATE","pool":null,"prompt":null,"n":4,"temperature":null,
                 "maxTokens":null,"parent":null,"continueParent":false,"oneStep":false}""";
        var read = Json.read(stored.getBytes(StandardCharsets.UTF_8), Action.Generate.class);
        assertThat(read).isEqualTo(Action.Generate.samples("batch-1", 4));
        var asking = Action.Generate.samples("batch-1", 4).withLogprobs(true);
        assertThat(Json.read(Json.writeString(asking).getBytes(StandardCharsets.UTF_8), Action.Generate.class))
                .isEqualTo(asking);
    }
}
