package dev.verigen.worker.llamacpp;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the in-process llama.cpp backend ({@code verigen.worker.llamacpp.*}).
 *
 * <p>{@code modelPath} is not {@code @NotBlank} on purpose: these properties are bound in every worker (the
 * configuration-properties scan sees them) and only a {@code llamacpp} worker needs a model. {@link LlamaCppBackend}
 * checks the path at startup and names it in the error.
 *
 * @param modelPath   the GGUF file to load (relative paths resolve against the working directory)
 * @param threads     CPU threads per context
 * @param contexts    llama.cpp contexts, i.e. requests generating at once; match {@code verigen.worker.concurrency}
 *                    to use all of them (extra listener threads wait for a free context)
 * @param contextSize n_ctx of each context in tokens (prompt + completion); null = the model's training context,
 *                    or 512 when the model does not say
 */
@Validated
@ConfigurationProperties("verigen.worker.llamacpp")
public record LlamaCppProperties(String modelPath, @Min(1) Integer threads, @Min(1) Integer contexts,
                                 @Min(8) Integer contextSize) {

    static final int FALLBACK_CONTEXT_SIZE = 512;

    public LlamaCppProperties {
        threads = threads == null ? 2 : threads;
        contexts = contexts == null ? 1 : contexts;
    }

    /** The n_ctx to create contexts with, given the model's training context (0 if unknown). */
    int contextSizeFor(int trainedContext) {
        if (contextSize != null) {
            return contextSize;
        }
        return trainedContext > 0 ? trainedContext : FALLBACK_CONTEXT_SIZE;
    }
}
