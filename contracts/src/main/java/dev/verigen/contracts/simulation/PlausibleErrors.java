package dev.verigen.contracts.simulation;

import java.util.SplittableRandom;

/**
 * Wrong results that look like a model's slips rather than noise: off by one or ten, two digits swapped, a digit
 * dropped, a lost carry, the wrong operator. Never returns the correct value.
 */
public final class PlausibleErrors {

    private static final int KINDS = 6;

    private PlausibleErrors() {
    }

    /** A wrong result for {@code left op right}, whose correct result is {@code correct}. */
    public static long wrong(long left, char op, long right, long correct, SplittableRandom random) {
        int first = random.nextInt(KINDS);
        for (int k = 0; k < KINDS; k++) {
            long candidate = attempt((first + k) % KINDS, left, op, right, correct, random);
            if (candidate != correct) {
                return candidate;
            }
        }
        return offByOne(correct, random);
    }

    /** A wrong value near {@code correct} when there is no operation to get wrong (e.g. a transcription slip). */
    public static long wrong(long correct, SplittableRandom random) {
        return wrong(correct, '+', 0, correct, random);
    }

    private static long attempt(int kind, long left, char op, long right, long correct, SplittableRandom random) {
        try {
            return switch (kind) {
                case 0 -> offByOne(correct, random);
                case 1 -> random.nextBoolean() ? Math.addExact(correct, 10) : Math.subtractExact(correct, 10);
                case 2 -> swapDigits(correct, random);
                case 3 -> dropDigit(correct, random);
                case 4 -> op == '+' ? addWithoutCarry(left, right) : powerOfTenSlip(correct, random);
                default -> wrongOperator(left, op, right, random);
            };
        } catch (ArithmeticException overflow) {
            return correct; // rejected by the caller, which tries the next kind
        }
    }

    private static long offByOne(long correct, SplittableRandom random) {
        return random.nextBoolean() || correct == Long.MIN_VALUE ? correct + 1 : correct - 1;
    }

    private static long swapDigits(long value, SplittableRandom random) {
        char[] digits = Long.toString(Math.absExact(value)).toCharArray();
        if (digits.length < 2) {
            return value;
        }
        int i = random.nextInt(digits.length - 1);
        char t = digits[i];
        digits[i] = digits[i + 1];
        digits[i + 1] = t;
        return Long.signum(value) * Long.parseLong(new String(digits));
    }

    private static long dropDigit(long value, SplittableRandom random) {
        String digits = Long.toString(Math.absExact(value));
        if (digits.length() < 2) {
            return value;
        }
        int i = random.nextInt(digits.length());
        return Long.signum(value) * Long.parseLong(digits.substring(0, i) + digits.substring(i + 1));
    }

    /** Column-wise sum that forgets every carry, the classic schoolbook slip. */
    private static long addWithoutCarry(long left, long right) {
        if (left < 0 || right < 0) {
            return Math.addExact(left, right);
        }
        long result = 0;
        long place = 1;
        while (left > 0 || right > 0) {
            result += ((left % 10 + right % 10) % 10) * place;
            left /= 10;
            right /= 10;
            place *= 10;
        }
        return result;
    }

    /** A carry or borrow lost in some column: off by a power of ten. */
    private static long powerOfTenSlip(long correct, SplittableRandom random) {
        int columns = Math.max(1, Long.toString(Math.absExact(correct)).length() - 1);
        long delta = 1;
        for (int i = 0, n = 1 + random.nextInt(columns); i < n; i++) {
            delta = Math.multiplyExact(delta, 10);
        }
        return random.nextBoolean() ? Math.addExact(correct, delta) : Math.subtractExact(correct, delta);
    }

    private static long wrongOperator(long left, char op, long right, SplittableRandom random) {
        char[] others = switch (op) {
            case '+' -> new char[] {'-', '*'};
            case '-' -> new char[] {'+', '*'};
            default -> new char[] {'+', '-'};
        };
        return ArithmeticOracle.apply(left, others[random.nextInt(2)], right);
    }
}
