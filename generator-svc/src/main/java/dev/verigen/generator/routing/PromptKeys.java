package dev.verigen.generator.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Kafka key of an engine request: the SHA-256 (hex) of the rendered prompt's first {@code prefixChars}
 * characters. Requests sharing a prompt prefix hash to the same partition, hence the same gpu-worker, whose prefix
 * cache then already holds that prefix. A hash rather than the text keeps keys small and prompts out of broker logs.
 */
public final class PromptKeys {

    private final int prefixChars;

    public PromptKeys(int prefixChars) {
        if (prefixChars < 1) {
            throw new IllegalArgumentException("prefixChars must be positive");
        }
        this.prefixChars = prefixChars;
    }

    public byte[] keyOf(String renderedPrompt) {
        String prefix = renderedPrompt.length() <= prefixChars ? renderedPrompt : renderedPrompt.substring(0, prefixChars);
        return HexFormat.of().formatHex(sha256(prefix.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
