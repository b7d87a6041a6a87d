package dev.verigen.worker.sim;

import dev.verigen.contracts.simulation.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulated KV prefix cache: an LRU of hashes of prompt prefixes at block boundaries, as paged engines
 * (vLLM, SGLang) cache whole blocks. A prompt whose leading blocks are cached only prefills the rest.
 */
final class PrefixCache {

    private final int capacity;
    private final int blockChars;
    private final LinkedHashMap<Long, Boolean> blocks;

    PrefixCache(int capacityBlocks, int blockChars) {
        this.capacity = capacityBlocks;
        this.blockChars = blockChars;
        this.blocks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Marks the prompt's blocks as cached and returns how many leading characters were already cached. */
    synchronized int lookupAndInsert(String prompt) {
        if (capacity == 0) {
            return 0;
        }
        int cachedChars = 0;
        boolean stillHitting = true;
        long hash = Seeds.hash("");
        for (int end = blockChars; end <= prompt.length(); end += blockChars) {
            // chained hash: a block only hits when everything before it is the same too
            hash = Seeds.extend(hash, prompt, end - blockChars, end);
            boolean hit = blocks.get(hash) != null;
            if (stillHitting && hit) {
                cachedChars = end;
            } else {
                stillHitting = false;
                blocks.put(hash, Boolean.TRUE);
            }
        }
        return cachedChars;
    }
}
