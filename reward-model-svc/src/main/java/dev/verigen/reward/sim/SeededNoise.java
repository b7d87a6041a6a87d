package dev.verigen.reward.sim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A standard normal draw that is a pure function of (seed, prompt, candidate text), so a re-delivered job scores
 * exactly as before, on any JVM: SHA-256 for the bits and StrictMath for Box–Muller.
 */
final class SeededNoise {

    private static final double TWO_POW_53 = 0x1p-53;

    private SeededNoise() {
    }

    static double gaussian(long seed, String prompt, String text) {
        MessageDigest sha = sha256();
        sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
        update(sha, prompt);
        update(sha, text);
        ByteBuffer bits = ByteBuffer.wrap(sha.digest());
        double u1 = ((bits.getLong() >>> 11) + 1) * TWO_POW_53; // (0, 1]: log stays finite
        double u2 = (bits.getLong() >>> 11) * TWO_POW_53;
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    // length-prefixed, so ("ab", "c") and ("a", "bc") hash differently
    private static void update(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
