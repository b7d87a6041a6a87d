package dev.verigen.orchestrator.strategies;

/**
 * What the compute estimate needs to know about a pool's model.
 *
 * @param parameters    parameter count (all of them: embeddings included, which errs on the expensive side)
 * @param layers        transformer layers, each with its own KV cache
 * @param kvDim         width of one layer's keys (= values) per token: KV heads × head dimension
 * @param bytesPerValue bytes per cached key or value element (2 for an fp16/bf16 cache, 1 for fp8)
 */
public record ModelSize(double parameters, int layers, int kvDim, int bytesPerValue) {

    public ModelSize {
        if (!(parameters > 0) || Double.isInfinite(parameters) || layers < 1 || kvDim < 1 || bytesPerValue < 1) {
            throw new IllegalArgumentException("a model size needs positive parameters, layers, kvDim and bytesPerValue");
        }
    }

    /** Bytes of KV cache one token occupies across all layers: keys and values. */
    public double kvBytesPerToken() {
        return (double) layers * 2 * kvDim * bytesPerValue;
    }

    /** Dense compute: a forward pass costs about 2 FLOPs per parameter per token, prompt and completion alike. */
    public double computeFlops(double tokens) {
        return 2 * parameters * tokens;
    }

    /**
     * KV-cache bytes read while generating {@code generated} tokens after a context of {@code context} tokens: the
     * i-th generated token (from 0) attends to the {@code context + i} tokens before it, so the total grows with the
     * square of the generation length — the term that dominates long generations on memory-bound hardware.
     */
    public double kvReadBytes(double context, double generated) {
        return kvBytesPerToken() * (generated * context + generated * (generated - 1) / 2);
    }
}
