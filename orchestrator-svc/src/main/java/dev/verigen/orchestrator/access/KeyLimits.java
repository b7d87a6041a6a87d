package dev.verigen.orchestrator.access;

/**
 * The largest limits a key may be given. They bound what one key can cost the platform even when an admin mistypes,
 * and keep every figure far from the integer columns' range.
 */
public final class KeyLimits {

    /** About 16,700 requests a second, more than one gateway instance serves. */
    public static final long MAX_REQUESTS_PER_MINUTE = 1_000_000;
    public static final long MAX_BURST = 100_000;
    /** 1 GiB: a large dataset upload fits, a body that would exhaust a gateway's memory does not. */
    public static final long MAX_BODY_BYTES = 1L << 30;
    public static final int MAX_NAME_CHARS = 200;

    private KeyLimits() {
    }
}
