package dev.verigen.generator.templates;

import dev.verigen.contracts.GenerationJob.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class TemplatesTest {

    private static final String TASK = "What is 17 + 25?";

    @Test
    void generateOnAPlainPoolIsExactlyTheTask() {
        assertThat(ChatTemplate.PLAIN.apply(RoleTemplates.render(Role.GENERATE, TASK))).isEqualTo(TASK);
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = "GENERATE", mode = EnumSource.Mode.EXCLUDE)
    void otherRolesPutTheirInstructionBeforeTheMaterial(Role role) {
        ChatPrompt prompt = RoleTemplates.render(role, TASK);
        assertThat(prompt.system()).isNotBlank();
        assertThat(prompt.user()).isEqualTo(TASK);
        String plain = ChatTemplate.PLAIN.apply(prompt);
        assertThat(plain).startsWith(prompt.system()).endsWith("\n\n" + TASK);
    }

    @Test
    void rolesHaveDistinctInstructions() {
        assertThat(RoleTemplates.render(Role.CRITIQUE, TASK).system()).contains("Verdict:");
        assertThat(RoleTemplates.render(Role.RANK, TASK).system()).contains("Ranking:");
        assertThat(RoleTemplates.render(Role.FUSE, TASK).system()).contains("Answer:");
        assertThat(RoleTemplates.render(Role.REFINE, TASK).system()).contains("feedback");
        assertThat(RoleTemplates.render(Role.JUDGE, TASK).system()).contains("Verdict:");
    }

    @Test
    void chatmlLaysOutTurnsAndOpensTheAssistantTurn() {
        assertThat(ChatTemplate.CHATML.apply(new ChatPrompt(null, TASK)))
                .isEqualTo("<|im_start|>user\nWhat is 17 + 25?<|im_end|>\n<|im_start|>assistant\n");
        assertThat(ChatTemplate.CHATML.apply(new ChatPrompt("Be brief.", TASK)))
                .isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n"
                        + "<|im_start|>user\nWhat is 17 + 25?<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void llama3LaysOutTurnsAndOpensTheAssistantTurn() {
        assertThat(ChatTemplate.LLAMA3.apply(new ChatPrompt("Be brief.", TASK))).isEqualTo(
                "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nWhat is 17 + 25?<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }
}
