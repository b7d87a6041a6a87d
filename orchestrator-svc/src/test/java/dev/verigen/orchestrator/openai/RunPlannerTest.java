package dev.verigen.orchestrator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verigen.orchestrator.runs.CreateRun;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class RunPlannerTest {

    private static CreateRun plan(String model, String fields, String header) {
        ChatRequest request = Fixtures.CHAT.parse(Fixtures.json("""
                {"model": "x", "messages": [{"role": "user", "content": "What is 40 + 2?"}]%s}""".formatted(fields)),
                header);
        String[] parts = model.split("/");
        return Fixtures.PLANNER.plan(request, Fixtures.preset(parts[0], parts[1]), 11L);
    }

    private static List<String> refused(String model, String fields, String header) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> plan(model, fields, header));
        assertThat(problem).isNotNull();
        return problem.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void standardFieldsOverrideThePresetAndTheExtensionMergesIntoIt() {
        CreateRun run = plan("wbon-8/sim-math", """
                , "temperature": 0.3, "top_p": 0.5, "max_tokens": 40, "stop": ["\\n"], "seed": 5,
                  "verigen": {"pipeline": {"verifier": "numeric", "options": {"adaptive": true}}, "reference": "42"}""",
                "tokens=9000, calls=40");
        assertThat(run.spec().strategy()).isEqualTo("best_of_n");
        assertThat(run.spec().n()).isEqualTo(8);
        assertThat(run.spec().options()).containsEntry("selection", "weighted").containsKey("adaptive");
        assertThat(run.spec().verifier().type()).isEqualTo("numeric");
        assertThat(run.spec().sampling().temperature()).isEqualTo(0.3);
        assertThat(run.spec().sampling().topP()).isEqualTo(0.5);
        assertThat(run.spec().sampling().maxTokens()).isEqualTo(40);
        assertThat(run.spec().sampling().stop()).containsExactly("\n");
        assertThat(run.spec().sampling().seed()).isEqualTo(5L);
        assertThat(run.input().reference()).isEqualTo("42");
        assertThat(run.maxTokens()).isEqualTo(9000L);
        assertThat(run.maxCalls()).isEqualTo(40L);
        assertThat(plan("bon-8/sim-math", "", null).spec().sampling().seed()).isEqualTo(11L);
    }

    @Test
    void choicesSetTheSampleCountOfSingleSampleModelsOnly() {
        assertThat(plan("single/sim-math", ", \"n\": 3", null).spec().n()).isEqualTo(3);
        assertThat(plan("bon-8/sim-math", ", \"n\": 3", null).spec().n()).isEqualTo(8);
    }

    @Test
    void anotherStrategyInTheExtensionDropsThePresetsOptions() {
        CreateRun run = plan("wsc-8/sim-math", ", \"verigen\": {\"pipeline\": {\"strategy\": \"first_finish\"}}", null);
        assertThat(run.spec().strategy()).isEqualTo("first_finish");
        assertThat(run.spec().options()).doesNotContainKey("vote");
    }

    @Test
    void runParserErrorsAreReportedWhereTheClientCanFixThem() {
        assertThat(refused("bon-8/sim-math", ", \"verigen\": {\"pipeline\": {\"verifier\": \"telepathy\"}}", null))
                .containsExactly("verigen.pipeline.verifier");
        assertThat(refused("bon-8/sim-math", ", \"verigen\": {\"pipeline\": {\"options\": {\"selection\": \"worst\"}}}", null))
                .containsExactly("verigen.pipeline.options.selection");
        assertThat(refused("bon-8/sim-math", ", \"max_tokens\": 400", "tokens=50"))
                .containsExactly("X-Verigen-Budget");
        assertThat(refused("bon-8/sim-math", ", \"max_tokens\": 400, \"verigen\": {\"budget\": {\"maxTokens\": 50}}", null))
                .containsExactly("verigen.budget.maxTokens");
        assertThat(refused("bon-8/sim-math", ", \"verigen\": {\"pipeline\": {\"n\": 0}}", null))
                .containsExactly("verigen.pipeline.n");
    }

    @Test
    void thePromptTooLongIsReportedAtMessages() {
        ChatRequest request = Fixtures.CHAT.parse(Fixtures.json("""
                {"model": "x", "messages": [{"role": "user", "content": "%s"}]}""".formatted("x".repeat(10_001))), null);
        ApiProblem problem = catchThrowableOfType(ApiProblem.class,
                () -> Fixtures.PLANNER.plan(request, Fixtures.preset("bon-8", "sim-math"), 1L));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("messages");
    }

    @Test
    void theModelsPipelineIsNotChanged() {
        ResolvedModel model = Fixtures.preset("bon-8", "sim-math");
        ObjectNode before = model.pipeline().deepCopy();
        ChatRequest request = Fixtures.CHAT.parse(Fixtures.json("""
                {"model": "x", "messages": [{"role": "user", "content": "q"}], "temperature": 0,
                 "verigen": {"pipeline": {"options": {"adaptive": true}}}}"""), null);
        Fixtures.PLANNER.plan(request, model, 1L);
        assertThat(model.pipeline()).isEqualTo(before);
    }
}
