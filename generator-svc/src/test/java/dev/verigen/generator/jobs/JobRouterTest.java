package dev.verigen.generator.jobs;

import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.MessageFixtures;
import dev.verigen.generator.GeneratorProperties;
import dev.verigen.generator.routing.PromptKeys;
import dev.verigen.generator.templates.ChatTemplate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JobRouterTest {

    private final JobRouter router = new JobRouter(new GeneratorProperties(Map.of(
            "sim-math", new GeneratorProperties.Pool(ChatTemplate.PLAIN, null),
            "qwen-7b", new GeneratorProperties.Pool(ChatTemplate.CHATML, null),
            "arith-tiny", new GeneratorProperties.Pool(ChatTemplate.QA, List.of("\n"))), null));

    @Test
    void dispatchesToThePoolTopicWithTheTemplatedPromptAndUntemplatedTask() {
        var job = new GenerationJob(MessageFixtures.meta(), Role.GENERATE, "qwen-7b", "What is 6 * 7?",
                MessageFixtures.sampling(), 8);
        var dispatch = (JobRouter.Dispatch) router.route(job);
        assertThat(dispatch.destination()).isEqualTo("verigen.gpu.jobs.qwen-7b");
        assertThat(dispatch.request().prompt()).isEqualTo(ChatTemplate.CHATML.apply(
                new dev.verigen.generator.templates.ChatPrompt(null, "What is 6 * 7?")));
        assertThat(dispatch.request().task()).isEqualTo("What is 6 * 7?");
        assertThat(dispatch.request().n()).isEqualTo(8);
        assertThat(dispatch.request().sampling()).isEqualTo(MessageFixtures.sampling());
        assertThat(dispatch.request().meta()).isEqualTo(job.meta());
        assertThat(dispatch.key()).isEqualTo(new PromptKeys(512).keyOf(dispatch.request().prompt()));
    }

    @Test
    void qaPoolsGetTheirLayoutAndTheirStopStringsOnTopOfTheJobs() {
        var job = new GenerationJob(MessageFixtures.meta(), Role.GENERATE, "arith-tiny",
                "What is 40 + 96? Answer with just the number.", MessageFixtures.sampling(), 8);
        var dispatch = (JobRouter.Dispatch) router.route(job);
        assertThat(dispatch.request().prompt()).isEqualTo("Q: What is 40 + 96? Answer with just the number.\nA: ");
        assertThat(dispatch.request().sampling().stop()).containsExactly("\n\n", "</s>", "\n");
        assertThat(dispatch.request().sampling().seed()).isEqualTo(MessageFixtures.sampling().seed());
        // a likelihood vote reads the samples' logprobs: merging the pool's stops must not drop the request for them
        assertThat(MessageFixtures.sampling().logprobs()).isTrue();
        assertThat(dispatch.request().sampling().logprobs()).isTrue();
    }

    @Test
    void aOneStepJobContinuesThePartialSolutionAndStopsAtThePoolsStepDelimiter() {
        var job = new GenerationJob(MessageFixtures.meta(), Role.GENERATE, "sim-math", "What is 6 * 7 + 1?",
                MessageFixtures.sampling(), 4, "Step 1: 6 * 7 = 42\n", true);
        var dispatch = (JobRouter.Dispatch) router.route(job);
        assertThat(dispatch.request().prompt()).isEqualTo("What is 6 * 7 + 1?Step 1: 6 * 7 = 42\n");
        assertThat(dispatch.request().partial()).isEqualTo("Step 1: 6 * 7 = 42\n");
        assertThat(dispatch.request().task()).isEqualTo("What is 6 * 7 + 1?");
        assertThat(dispatch.request().sampling().stop()).contains("\n");
        var whole = new GenerationJob(MessageFixtures.meta(), Role.GENERATE, "sim-math", "What is 6 * 7 + 1?",
                MessageFixtures.sampling(), 4);
        assertThat(((JobRouter.Dispatch) router.route(whole)).request().sampling().stop())
                .isEqualTo(MessageFixtures.sampling().stop());
    }

    @Test
    void unknownOrInvalidPoolsAreRejectedWithoutRetry() {
        for (String pool : new String[] {"nope", "Not A Pool!"}) {
            var job = new GenerationJob(MessageFixtures.meta(), Role.GENERATE, pool, "What is 6 * 7?", null, 1);
            var reject = (JobRouter.Reject) router.route(job);
            assertThat(reject.result().error().code()).isEqualTo(JobRouter.UNKNOWN_POOL);
            assertThat(reject.result().error().retryable()).isFalse();
            assertThat(reject.result().meta()).isEqualTo(job.meta());
            assertThat(reject.result().pool()).isEqualTo(pool);
        }
    }
}
