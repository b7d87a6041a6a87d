package dev.verigen.verifier.regex;

/**
 * A {@link CharSequence} that counts its reads: every {@link #charAt} spends one unit of a budget, and every 4,096
 * reads the deadline is checked. {@link java.util.regex.Matcher} reads its input only through {@code charAt}, so
 * a regex that backtracks catastrophically runs out of budget and throws {@link BudgetExceeded} instead of running
 * for hours. Not thread-safe; one per match.
 */
public final class BudgetedText implements CharSequence {

    private final String text;
    private final int offset;
    private final int length;
    private final long[] reads;
    private final long maxReads;
    private final long deadlineNanos;

    public BudgetedText(String text, long maxReads, long deadlineNanos) {
        this(text, 0, text.length(), new long[1], maxReads, deadlineNanos);
    }

    private BudgetedText(String text, int offset, int length, long[] reads, long maxReads, long deadlineNanos) {
        this.text = text;
        this.offset = offset;
        this.length = length;
        this.reads = reads;
        this.maxReads = maxReads;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public char charAt(int index) {
        long n = ++reads[0];
        if (n > maxReads) {
            throw new BudgetExceeded(maxReads + " character reads");
        }
        if ((n & 0xFFF) == 0 && System.nanoTime() - deadlineNanos > 0) {
            throw new BudgetExceeded("its time limit (" + n + " character reads)");
        }
        return text.charAt(offset + index);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > length || start > end) {
            throw new IndexOutOfBoundsException("[" + start + ", " + end + ") of " + length);
        }
        return new BudgetedText(text, offset + start, end - start, reads, maxReads, deadlineNanos);
    }

    @Override
    public String toString() {
        return text.substring(offset, offset + length);
    }

    /** The match used up its budget; the pattern is too expensive on this input. */
    public static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded(String message) {
            super(message, null, false, false);
        }
    }
}
