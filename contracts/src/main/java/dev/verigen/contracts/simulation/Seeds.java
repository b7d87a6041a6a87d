package dev.verigen.contracts.simulation;

import java.util.SplittableRandom;

/**
 * Stable 64-bit hashing and seed mixing. String.hashCode is only 32 bits and Random's LCG correlates nearby seeds,
 * so seed + i streams would look alike; SplitMix64's finalizer decorrelates them.
 */
public final class Seeds {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Seeds() {
    }

    public static long hash(CharSequence text) {
        return extend(FNV_OFFSET, text, 0, text.length());
    }

    /** Continues an FNV-1a hash over {@code text[from, to)}, so prefix hashes can be computed incrementally. */
    public static long extend(long hash, CharSequence text, int from, int to) {
        long h = hash;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            h ^= (c & 0xff);
            h *= FNV_PRIME;
            h ^= (c >>> 8);
            h *= FNV_PRIME;
        }
        return h;
    }

    public static long mix(long... parts) {
        long h = 0x9e3779b97f4a7c15L;
        for (long part : parts) {
            h = finalise(h ^ finalise(part + 0x9e3779b97f4a7c15L));
        }
        return h;
    }

    public static SplittableRandom random(long... parts) {
        return new SplittableRandom(mix(parts));
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
