package dev.verigen.worker.sim;

/** A tokenizer estimate (about {@code charsPerToken} characters a token), enough for usage accounting in the simulator. */
public record Tokens(int charsPerToken) {

    public Tokens {
        if (charsPerToken < 1) {
            throw new IllegalArgumentException("charsPerToken must be positive");
        }
    }

    /** At least one token, since even an empty prompt costs the engine a BOS token. */
    public int count(String text) {
        return Math.max(1, (text.length() + charsPerToken - 1) / charsPerToken);
    }

    /** The longest prefix of {@code text} that fits in {@code maxTokens}. */
    public String truncate(String text, int maxTokens) {
        long maxChars = (long) maxTokens * charsPerToken;
        return text.length() <= maxChars ? text : text.substring(0, (int) maxChars);
    }
}
