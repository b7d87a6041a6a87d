package dev.verigen.reward.sim;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the integer operation a step states, in the phrasings the engine simulator writes ("12 + 7 = 19.", "Add 12
 * and 7 to get 19.", "Take the difference of 12 and 7 to get 5.", "Multiply 12 and 7 to get 84.", "Then 12 + 7
 * gives 19."; operands may be "(-5)"), and checks it on its own, without the task: the local view that lets the
 * simulated PRM tell where a solution slipped even before it has an answer.
 */
final class StepArithmetic {

    private static final String NUM = "(\\(\\s*-?\\d+\\s*\\)|-?\\d+)";
    private static final String OP = "\\s*([-+*×])\\s*";
    private static final String RESULT = "(-?\\d+)(?!\\.?\\d)";
    // not the tail of a longer chain ("3 - 4 - 5 = -6" states no single operation on 4 and 5)
    private static final String FREE = "(?<![\\d)+\\-*×/^]\\s{0,8})";

    private static final Pattern EQUALS = Pattern.compile(FREE + NUM + OP + NUM + "\\s*=\\s*" + RESULT);
    private static final Pattern THEN = Pattern.compile("\\bThen\\s+" + NUM + OP + NUM + "\\s+gives\\s+" + RESULT,
            Pattern.CASE_INSENSITIVE);
    private static final List<Worded> WORDED = List.of(
            new Worded(words("Add"), '+'),
            new Worded(words("Take\\s+the\\s+difference\\s+of"), '-'),
            new Worded(words("Multiply"), '*'));

    private StepArithmetic() {
    }

    /**
     * @param right      whether every operation the step states is computed right
     * @param result     the result the step states last: what it carries on
     * @param firstWrong the first operation stated wrong, when its numbers fit in a long
     */
    record Check(boolean right, BigInteger result, Optional<Op> firstWrong) {
    }

    /** One stated operation: {@code left op right = result}. */
    record Op(long left, char op, long right, long result) {
    }

    private record Worded(Pattern pattern, char op) {
    }

    private record Stated(int at, BigInteger left, char op, BigInteger right, BigInteger result) {
        boolean correct() {
            BigInteger expected = switch (op) {
                case '+' -> left.add(right);
                case '-' -> left.subtract(right);
                default -> left.multiply(right);
            };
            return expected.equals(result);
        }
    }

    /** The step's stated operations checked, or empty when it states none this recognises. */
    static Optional<Check> check(String step) {
        List<Stated> stated = new ArrayList<>();
        collect(EQUALS.matcher(step), stated);
        collect(THEN.matcher(step), stated);
        for (Worded w : WORDED) {
            Matcher m = w.pattern().matcher(step);
            while (m.find()) {
                stated.add(new Stated(m.start(), integer(m.group(1)), w.op(), integer(m.group(2)), integer(m.group(3))));
            }
        }
        if (stated.isEmpty()) {
            return Optional.empty();
        }
        stated.sort(Comparator.comparingInt(Stated::at));
        boolean right = stated.stream().allMatch(Stated::correct);
        Optional<Op> firstWrong = stated.stream().filter(st -> !st.correct()).findFirst().flatMap(StepArithmetic::op);
        return Optional.of(new Check(right, stated.getLast().result(), firstWrong));
    }

    private static Optional<Op> op(Stated s) {
        try {
            return Optional.of(new Op(s.left().longValueExact(), s.op(), s.right().longValueExact(),
                    s.result().longValueExact()));
        } catch (ArithmeticException tooBig) {
            return Optional.empty();
        }
    }

    private static void collect(Matcher m, List<Stated> into) {
        while (m.find()) {
            char op = m.group(2).charAt(0) == '×' ? '*' : m.group(2).charAt(0);
            into.add(new Stated(m.start(), integer(m.group(1)), op, integer(m.group(3)), integer(m.group(4))));
        }
    }

    private static Pattern words(String verb) {
        return Pattern.compile("\\b" + verb + "\\s+" + NUM + "\\s+and\\s+" + NUM + "\\s+to\\s+get\\s+" + RESULT,
                Pattern.CASE_INSENSITIVE);
    }

    private static BigInteger integer(String token) {
        return new BigInteger(token.replaceAll("[()\\s]", ""));
    }
}
