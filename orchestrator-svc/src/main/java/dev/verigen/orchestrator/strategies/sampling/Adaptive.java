package dev.verigen.orchestrator.strategies.sampling;

import dev.verigen.orchestrator.strategies.StrategyOptions;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Adaptive early stopping: sample in batches of {@code batch} up to n, and after each batch (verified and scored)
 * stop when more samples are pointless. Off unless the spec asks for it.
 *
 * @param batch      samples per batch
 * @param confidence how sure the voting rule must be that the leading answer stays ahead ({@link StoppingRule})
 */
public record Adaptive(int batch, double confidence) {

    public static final String FIELD = "adaptive";
    public static final int DEFAULT_BATCH = 4;
    public static final double DEFAULT_CONFIDENCE = 0.95;
    static final double MAX_CONFIDENCE = 0.9999;

    public Adaptive {
        // a stored spec may lack either field; zero is never a valid setting, so it means "the default"
        batch = batch < 1 ? DEFAULT_BATCH : batch;
        confidence = confidence <= 0 ? DEFAULT_CONFIDENCE : confidence;
    }

    /**
     * Reads {@code pipeline.options.adaptive}: absent, null or false is off; true takes the defaults; an object may
     * set {@code batch} (1..1024) and {@code confidence} (0.5..0.9999).
     *
     * @return the normalised setting, or null when off
     */
    public static Adaptive read(StrategyOptions options) {
        JsonNode node = options.raw(FIELD);
        String path = StrategyOptions.path(FIELD);
        if (node == null || node.isNull() || (node.isBoolean() && !node.booleanValue())) {
            return null;
        }
        if (node.isBoolean()) {
            return new Adaptive(DEFAULT_BATCH, DEFAULT_CONFIDENCE);
        }
        if (!node.isObject()) {
            options.reject(FIELD, "must be true, false or an object {\"batch\": k, \"confidence\": c}");
            return null;
        }
        var fields = options.fields();
        fields.onlyKnown(node, path, Set.of("batch", "confidence"));
        Long batch = fields.integer(node, "batch", path + ".batch", 1, 1024);
        Double confidence = fields.decimal(node, "confidence", path + ".confidence", 0.5, MAX_CONFIDENCE);
        return new Adaptive(batch == null ? DEFAULT_BATCH : batch.intValue(),
                confidence == null ? DEFAULT_CONFIDENCE : confidence);
    }
}
