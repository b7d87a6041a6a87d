package dev.verigen.support.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The API key format: {@code vg_<id>_<secret>}, where {@code id} is 12 characters of {@code [a-z0-9]} (public: it
 * names the key in listings, logs and revocation) and {@code secret} is 32 random bytes, base64url. Only the
 * SHA-256 of the secret is stored: a key carries 256 random bits, so a slow password hash would add nothing but
 * latency to every request.
 */
public final class ApiKeyTokens {

    public static final String PREFIX = "vg_";
    public static final int ID_LENGTH = 12;
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SECRET_BYTES = 32;
    private static final int SECRET_CHARS = 43; // unpadded base64url of 32 bytes

    private ApiKeyTokens() {
    }

    /** A fresh key: {@code token} is shown to its owner once; {@code id} and {@code secretHash} are stored. */
    public record NewKey(String id, String token, byte[] secretHash) {
    }

    /** A presented token split into its parts; says nothing yet about whether such a key exists. */
    public record Presented(String id, String secret) {
        public byte[] secretHash() {
            return sha256(secret);
        }
    }

    public static NewKey generate(SecureRandom random) {
        StringBuilder id = new StringBuilder(ID_LENGTH);
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new NewKey(id.toString(), PREFIX + id + "_" + secret, sha256(secret));
    }

    /** Splits {@code vg_<id>_<secret>}; empty for anything else (the caller answers 401 without saying more). */
    public static Optional<Presented> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String t = token.strip();
        int idEnd = PREFIX.length() + ID_LENGTH;
        if (t.length() != idEnd + 1 + SECRET_CHARS || !t.startsWith(PREFIX) || t.charAt(idEnd) != '_') {
            return Optional.empty();
        }
        String id = t.substring(PREFIX.length(), idEnd);
        String secret = t.substring(idEnd + 1);
        if (!id.chars().allMatch(c -> ID_ALPHABET.indexOf(c) >= 0)
            || !secret.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_')) {
            return Optional.empty();
        }
        return Optional.of(new Presented(id, secret));
    }

    /** Constant-time comparison of a presented secret's hash with the stored one. */
    public static boolean matches(Presented presented, byte[] storedHash) {
        return MessageDigest.isEqual(presented.secretHash(), storedHash);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
