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
 * @param abort      start all n samples at once, one job each, judge each as it comes back, and once more samples
 *                   are pointless stop the ones still running (engine-side abort): the latency of sampling in
 *                   parallel, the tokens of sampling one at a time ({@code batch} does not apply)
 */
public record Adaptive(int batch, double confidence, boolean abort) {

    public Adaptive(int batch, double confidence) {
        this(batch, confidence, false);
    }

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
     * set {@code batch} (1..1024), {@code confidence} (0.5..0.9999) and {@code abort} (then not {@code batch}).
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
        fields.onlyKnown(node, path, Set.of("batch", "confidence", "abort"));
        Long batch = fields.integer(node, "batch", path + ".batch", 1, 1024);
        Double confidence = fields.decimal(node, "confidence", path + ".confidence", 0.5, MAX_CONFIDENCE);
        Boolean abort = fields.bool(node, "abort", path + ".abort");
        if (Boolean.TRUE.equals(abort) && batch != null) {
            fields.reject(path + ".batch", "does not apply with abort: all n samples start at once and the ones "
                    + "still running are stopped when more are pointless");
        }
        return new Adaptive(batch == null ? DEFAULT_BATCH : batch.intValue(),
                confidence == null ? DEFAULT_CONFIDENCE : confidence, Boolean.TRUE.equals(abort));
    }
}
