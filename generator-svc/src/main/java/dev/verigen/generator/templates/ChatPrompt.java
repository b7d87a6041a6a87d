package dev.verigen.generator.templates;

import java.util.Objects;

/**
 * A prompt before the model family's chat template is applied.
 *
 * @param system the role's instruction, or null when the task should reach the model as is
 */
public record ChatPrompt(String system, String user) {

    public ChatPrompt {
        Objects.requireNonNull(user, "user");
    }
}
