package dev.verigen.orchestrator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatRequestParserTest {

    private static final String MESSAGES = "\"messages\": [{\"role\": \"user\", \"content\": \"What is 40 + 2?\"}]";

    private static ChatRequest parse(String fields) {
        return Fixtures.CHAT.parse(Fixtures.json("{\"model\": \"bon-4/sim-math\", " + MESSAGES + fields + "}"), null);
    }

    private static List<String> refused(String fields) {
        return refused(fields, null);
    }

    private static List<String> refused(String fields, String header) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> Fixtures.CHAT.parse(
                Fixtures.json("{\"model\": \"bon-4/sim-math\", " + MESSAGES + fields + "}"), header));
        assertThat(problem).as("expected %s to be refused", fields).isNotNull();
        assertThat(problem.status().value()).isEqualTo(400);
        return problem.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void readsTheStandardFields() {
        ChatRequest r = parse("""
                , "n": 3, "temperature": 0.2, "top_p": 0.9, "max_completion_tokens": 64, "stop": "\\n\\n",
                  "seed": -5, "stream": true, "stream_options": {"include_usage": true}, "user": "u-1",
                  "metadata": {"k": "v"}, "store": false, "tools": [], "tool_choice": "none", "logprobs": false,
                  "frequency_penalty": 0, "response_format": {"type": "text"}, "parallel_tool_calls": true""");
        assertThat(r.model()).isEqualTo("bon-4/sim-math");
        assertThat(r.prompt()).isEqualTo("What is 40 + 2?");
        assertThat(r.choices()).isEqualTo(3);
        assertThat(r.temperature()).isEqualTo(0.2);
        assertThat(r.topP()).isEqualTo(0.9);
        assertThat(r.maxTokens()).isEqualTo(64);
        assertThat(r.stop()).containsExactly("\n\n");
        assertThat(r.seed()).isEqualTo(-5L);
        assertThat(r.stream()).isTrue();
        assertThat(r.includeUsage()).isTrue();
        assertThat(r.verigen()).isEqualTo(ChatRequest.Extension.NONE);
        assertThat(r.budget()).isNull();
    }

    @Test
    void defaultsLeaveSamplingToThePipeline() {
        ChatRequest r = parse("");
        assertThat(r.choices()).isEqualTo(1);
        assertThat(r.temperature()).isNull();
        assertThat(r.maxTokens()).isNull();
        assertThat(r.stop()).isNull();
        assertThat(r.stream()).isFalse();
        assertThat(parse(", \"top_p\": 0").topP()).isPositive();
        assertThat(parse(", \"max_tokens\": 32").maxTokens()).isEqualTo(32);
    }

    @Test
    void featuresThatCannotBeHonouredAreRefusedNotIgnored() {
        assertThat(refused(", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]")).containsExactly("tools");
        assertThat(refused(", \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {}}"))
                .containsExactly("response_format");
        assertThat(refused(", \"logprobs\": true, \"top_logprobs\": 3")).containsExactlyInAnyOrder("logprobs", "top_logprobs");
        assertThat(refused(", \"presence_penalty\": 0.5")).containsExactly("presence_penalty");
        assertThat(refused(", \"tool_choice\": \"auto\"")).containsExactly("tool_choice");
        assertThat(refused(", \"modalities\": [\"text\", \"audio\"]")).containsExactly("modalities");
    }

    @Test
    void unknownFieldsAndBadValuesAreRefusedAtTheirOpenAiNames() {
        assertThat(refused(", \"temprature\": 0.5")).containsExactly("temprature");
        assertThat(refused(", \"temperature\": 2.5")).containsExactly("temperature");
        assertThat(refused(", \"temperature\": \"hot\"")).containsExactly("temperature");
        assertThat(refused(", \"n\": 0")).containsExactly("n");
        assertThat(refused(", \"n\": 129")).containsExactly("n");
        assertThat(refused(", \"top_p\": 1.5")).containsExactly("top_p");
        assertThat(refused(", \"max_tokens\": 10, \"max_completion_tokens\": 20")).containsExactly("max_tokens");
        assertThat(refused(", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]")).containsExactly("stop");
        assertThat(refused(", \"stream_options\": {\"include_usage\": true}")).containsExactly("stream_options");
        assertThat(refused(", \"stream\": true, \"stream_options\": {\"usage\": true}"))
                .containsExactly("stream_options.usage");
        assertThat(refused(", \"seed\": 1.5")).containsExactly("seed");
        ApiProblem noModel = catchThrowableOfType(ApiProblem.class, () -> Fixtures.CHAT.parse(
                Fixtures.json("{" + MESSAGES + "}"), null));
        assertThat(noModel.errors()).extracting(FieldError::field).containsExactly("model");
    }

    @Test
    void theExtensionObjectIsCheckedToo() {
        ChatRequest r = parse("""
                , "verigen": {"pipeline": {"verifier": "numeric", "options": {"selection": "weighted"}},
                              "budget": {"maxTokens": 20000, "maxCalls": 64}, "reference": "42", "metadata": true,
                              "timeoutSeconds": 30}""");
        assertThat(r.verigen().pipeline().get("verifier").stringValue()).isEqualTo("numeric");
        assertThat(r.verigen().reference()).isEqualTo("42");
        assertThat(r.verigen().metadata()).isTrue();
        assertThat(r.verigen().timeoutSeconds()).isEqualTo(30);
        assertThat(r.budget()).isEqualTo(new ChatRequest.Budget(20000L, 64L, null, "verigen.budget"));

        assertThat(refused(", \"verigen\": {\"pipeline\": {\"model\": \"sim-math\"}}")).containsExactly("verigen.pipeline.model");
        assertThat(refused(", \"verigen\": {\"budgets\": {}}")).containsExactly("verigen.budgets");
        assertThat(refused(", \"verigen\": {\"budget\": {\"maxTokens\": 0}}")).containsExactly("verigen.budget.maxTokens");
        assertThat(refused(", \"verigen\": {\"timeoutSeconds\": 100000}")).containsExactly("verigen.timeoutSeconds");
        assertThat(refused(", \"verigen\": {\"budget\": {\"maxTokens\": 10}}", "tokens=5")).containsExactly("verigen.budget");
        assertThat(refused("", "tokens=lots")).containsExactly("X-Verigen-Budget");
    }
}
