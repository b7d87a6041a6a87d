package dev.verigen.contracts.suites;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The suites that ship with Verigen. Generated suites are seeded, so a suite name always means the same questions.
 */
public final class BuiltInSuites {

    /** {@code arith}: two-digit additions and subtractions in the layout the arith-tiny models were trained on. */
    public static final String ARITH = "arith";
    /** {@code sim-math}: 2–6 operation integer arithmetic whose latent difficulty the simulator draws per prompt. */
    public static final String SIM_MATH = "sim-math";

    public static final int ARITH_SIZE = 300;
    public static final int SIM_MATH_SIZE = 200;
    public static final long SIM_MATH_SEED = 7;

    private static final char[] OPS = {'+', '-', '*'};

    private BuiltInSuites() {
    }

    public static List<String> names() {
        return List.of(ARITH, SIM_MATH);
    }

    public static Optional<Suite> byName(String name) {
        return switch (name == null ? "" : name) {
            case ARITH -> Optional.of(arith(ARITH_SIZE, 1));
            case SIM_MATH -> Optional.of(simMath(SIM_MATH_SIZE, SIM_MATH_SEED));
            default -> Optional.empty();
        };
    }

    /** Operands 10–99, '+' twice as often as '−', subtraction never negative: the models' training distribution. */
    public static Suite arith(int count, long seed) {
        var random = new SplittableRandom(seed);
        List<SuiteItem> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int a = random.nextInt(10, 100);
            int b = random.nextInt(10, 100);
            boolean plus = random.nextInt(3) > 0;
            int hi = Math.max(a, b);
            int lo = Math.min(a, b);
            String question = plus ? a + " + " + b : hi + " - " + lo;
            long answer = plus ? a + b : hi - lo;
            items.add(new SuiteItem("arith-" + i, "What is " + question + "? Answer with just the number.",
                    Long.toString(answer), TaskKind.NUMERIC.wireName()));
        }
        return new Suite(ARITH, "two-digit + and - in arith-tiny's training layout; numeric verifier", "arith-tiny",
                TaskKind.NUMERIC, items);
    }

    /** Expressions of 2–6 operations over + − ×, × binding tighter; the reference is the exact integer value. */
    public static Suite simMath(int count, long seed) {
        var random = new SplittableRandom(seed);
        List<SuiteItem> items = new ArrayList<>(count);
        while (items.size() < count) {
            int ops = 2 + random.nextInt(5);
            List<Long> operands = new ArrayList<>();
            List<Character> operators = new ArrayList<>();
            long first = 2 + random.nextInt(98);
            operands.add(first);
            StringBuilder expr = new StringBuilder().append(first);
            for (int i = 0; i < ops; i++) {
                char op = OPS[random.nextInt(OPS.length)];
                long operand = op == '*' ? 2 + random.nextInt(11) : 2 + random.nextInt(98);
                operators.add(op);
                operands.add(operand);
                expr.append(' ').append(op).append(' ').append(operand);
            }
            items.add(new SuiteItem("sim-math-" + items.size(), "Compute " + expr + ".",
                    Long.toString(evaluate(operands, operators)), TaskKind.NUMERIC.wireName()));
        }
        return new Suite(SIM_MATH, "integer arithmetic of 2-6 operations with heterogeneous latent difficulty "
                + "(simulator)", "sim-math", TaskKind.NUMERIC, items);
    }

    private static long evaluate(List<Long> operands, List<Character> operators) {
        List<Long> terms = new ArrayList<>();
        List<Character> signs = new ArrayList<>();
        long term = operands.getFirst();
        for (int i = 0; i < operators.size(); i++) {
            char op = operators.get(i);
            long next = operands.get(i + 1);
            if (op == '*') {
                term *= next;
            } else {
                terms.add(term);
                signs.add(op);
                term = next;
            }
        }
        terms.add(term);
        long value = terms.getFirst();
        for (int i = 0; i < signs.size(); i++) {
            value = signs.get(i) == '+' ? value + terms.get(i + 1) : value - terms.get(i + 1);
        }
        return value;
    }
}
