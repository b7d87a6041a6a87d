package dev.verigen.worker.sim;

/**
 * Bench-only window on the simulator's package-private {@link PrefixCache}: a shadow cache with the same settings,
 * fed the same prompts in the same order as a {@link SimBackend}, reports exactly the cached prefix that backend
 * saw (the cache is deterministic), which {@code Usage} does not carry.
 */
public final class PrefixCacheProbe {

    private final PrefixCache cache;
    private final Tokens tokens;
    private final int charsPerToken;

    public PrefixCacheProbe(SimProperties config) {
        this.cache = new PrefixCache(config.latency().prefixCacheBlocks(),
                config.latency().prefixBlockTokens() * config.charsPerToken());
        this.tokens = new Tokens(config.charsPerToken());
        this.charsPerToken = config.charsPerToken();
    }

    /** The prompt tokens the backend finds cached for this prompt, as {@code SimBackend.generate} computes them. */
    public int cachedTokens(String prompt) {
        return Math.min(tokens.count(prompt), cache.lookupAndInsert(prompt) / charsPerToken);
    }
}
