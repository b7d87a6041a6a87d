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

    /** A standard normal for (seed, prompt, text) and a salt naming the draw, e.g. a step's index. */
    static double gaussian(long seed, String prompt, String text, String salt) {
        ByteBuffer bits = bits(seed, prompt, text, salt);
        double u1 = ((bits.getLong() >>> 11) + 1) * TWO_POW_53;
        double u2 = (bits.getLong() >>> 11) * TWO_POW_53;
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    /** A uniform draw in [0, 1) for (seed, prompt, text, salt). */
    static double uniform(long seed, String prompt, String text, String salt) {
        return (bits(seed, prompt, text, salt).getLong() >>> 11) * TWO_POW_53;
    }

    private static ByteBuffer bits(long seed, String prompt, String text, String salt) {
        MessageDigest sha = sha256();
        sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
        update(sha, prompt);
        update(sha, text);
        update(sha, salt);
        return ByteBuffer.wrap(sha.digest());
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
