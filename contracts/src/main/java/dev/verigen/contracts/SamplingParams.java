package dev.verigen.contracts;

import java.util.List;

/**
 * Sampling settings passed through to the engine.
 *
 * @param seed     base seed; sample i of a request uses {@code seed + i}, so a request is reproducible
 * @param logprobs whether per-token log-probabilities should be returned
 */
public record SamplingParams(double temperature, double topP, int maxTokens, Long seed,
                             List<String> stop, boolean logprobs) {

    public static final SamplingParams DEFAULT = new SamplingParams(0.8, 1.0, 256, null, List.of(), false);

    public SamplingParams {
        if (temperature < 0 || temperature > 5) {
            throw new IllegalArgumentException("temperature must be within [0, 5]");
        }
        if (topP <= 0 || topP > 1) {
            throw new IllegalArgumentException("topP must be within (0, 1]");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive");
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
    }
}
