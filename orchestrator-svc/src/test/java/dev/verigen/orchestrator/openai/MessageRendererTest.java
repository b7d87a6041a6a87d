package dev.verigen.orchestrator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.orchestrator.web.JsonFields;
import dev.verigen.support.problems.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageRendererTest {

    private static String render(String messages) {
        JsonFields f = new JsonFields();
        String prompt = MessageRenderer.render(Fixtures.json(messages), f);
        assertThat(f.errors()).as("errors of %s", messages).isEmpty();
        return prompt;
    }

    private static List<String> errors(String messages) {
        JsonFields f = new JsonFields();
        assertThat(MessageRenderer.render(Fixtures.json(messages), f)).isNull();
        return f.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void aLoneUserMessageIsThePromptVerbatim() {
        assertThat(render("""
                [{"role": "user", "content": "What is 40 + 2?"}]""")).isEqualTo("What is 40 + 2?");
        assertThat(render("""
                [{"role": "user", "name": "ann", "content": [{"type": "text", "text": "What is"}, {"type": "text", "text": "40 + 2?"}]}]"""))
                .isEqualTo("What is\n40 + 2?");
    }

    @Test
    void aConversationBecomesALabelledTranscript() {
        assertThat(render("""
                [{"role": "system", "content": "Answer briefly."},
                 {"role": "user", "content": "What is 2 + 2?"},
                 {"role": "assistant", "content": "4", "refusal": null},
                 {"role": "developer", "content": [{"type": "text", "text": "Show your work."}]},
                 {"role": "user", "content": "And times 3?"}]"""))
                .isEqualTo("""
                        System: Answer briefly.

                        User: What is 2 + 2?

                        Assistant: 4

                        System: Show your work.

                        User: And times 3?""");
    }

    @Test
    void whatCannotBeRenderedIsRefusedAtItsPath() {
        assertThat(errors("[]")).containsExactly("messages");
        assertThat(errors("\"hi\"")).containsExactly("messages");
        assertThat(errors("""
                [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]"""))
                .containsExactly("messages[1].role");
        assertThat(errors("""
                [{"role": "tool", "content": "42", "tool_call_id": "x"}, {"role": "user", "content": "q"}]"""))
                .contains("messages[0].role");
        assertThat(errors("""
                [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "http://x"}}]}]"""))
                .containsExactly("messages[0].content[0].type");
        assertThat(errors("""
                [{"role": "assistant", "content": null, "tool_calls": [{"id": "1"}]}, {"role": "user", "content": "q"}]"""))
                .containsExactly("messages[0].tool_calls", "messages[0].content");
        assertThat(errors("""
                [{"role": "user", "content": "q", "mood": "happy"}]""")).containsExactly("messages[0].mood");
        assertThat(errors("""
                [{"role": "wizard", "content": "q"}]""")).containsExactly("messages[0].role");
    }
}
