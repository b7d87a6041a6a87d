package dev.verigen.contracts.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Knows the true answer of integer arithmetic questions ("What is 17 + 25?", "Compute (3 + 4) * 5 - 2.") so the
 * simulator can decide what a correct sample says. Supports + - * (× too), parentheses and unary minus, with
 * the usual precedence. Anything else (division, words, overflow) is not understood and yields empty.
 */
public final class ArithmeticOracle {

    // runs of characters that can belong to an expression; the question's words and punctuation split them
    private static final Pattern CANDIDATE = Pattern.compile("[0-9()+\\-*×\\s]+");
    private static final int MAX_OPERATORS = 64;

    /** One binary operation in evaluation order, as a worked step would show it. */
    public record Step(long left, char op, long right, long result) {
    }

    /** A parsed expression: {@code evaluate} replays it, letting a {@link StepHook} change any step's result. */
    public sealed interface Expr permits Num, Bin {
    }

    public record Num(long value) implements Expr {
    }

    public record Bin(Expr left, char op, Expr right) implements Expr {
    }

    /** Decides the result of the {@code index}-th step; the honest hook returns {@code correct}. */
    @FunctionalInterface
    public interface StepHook {
        long result(int index, long left, char op, long right, long correct);
    }

    /** @param expression the expression as found in the task, trimmed */
    public record Solution(String expression, Expr expr, List<Step> steps, long answer) {

        /** Evaluates again with {@code hook} deciding each step; returns the steps, the last one's result is the answer. */
        public List<Step> replay(StepHook hook) {
            List<Step> out = new ArrayList<>();
            long value = eval(expr, hook, out);
            if (out.isEmpty()) {
                out.add(new Step(value, '+', 0, value));
            }
            return out;
        }
    }

    public Optional<Solution> solve(String task) {
        Solution best = null;
        int bestOps = 0;
        Matcher m = CANDIDATE.matcher(task);
        while (m.find()) {
            String candidate = m.group().strip();
            int ops = countOperators(candidate);
            if (ops == 0 || ops > MAX_OPERATORS || ops <= bestOps) {
                continue;
            }
            Optional<Expr> expr = new Parser(candidate).parse();
            if (expr.isEmpty()) {
                continue;
            }
            try {
                List<Step> steps = new ArrayList<>();
                long answer = eval(expr.get(), (i, l, op, r, correct) -> correct, steps);
                if (steps.isEmpty()) {
                    continue; // "-5" alone is a number, not a question
                }
                best = new Solution(candidate, expr.get(), List.copyOf(steps), answer);
                bestOps = ops;
            } catch (ArithmeticException overflow) {
                // a question whose answer overflows a long is one the oracle does not understand
            }
        }
        return Optional.ofNullable(best);
    }

    public static long apply(long left, char op, long right) {
        return switch (op) {
            case '+' -> Math.addExact(left, right);
            case '-' -> Math.subtractExact(left, right);
            case '*' -> Math.multiplyExact(left, right);
            default -> throw new IllegalArgumentException("unsupported operator " + op);
        };
    }

    private static long eval(Expr expr, StepHook hook, List<Step> out) {
        return switch (expr) {
            case Num n -> n.value();
            case Bin b -> {
                long l = eval(b.left(), hook, out);
                long r = eval(b.right(), hook, out);
                long result = hook.result(out.size(), l, b.op(), r, apply(l, b.op(), r));
                out.add(new Step(l, b.op(), r, result));
                yield result;
            }
        };
    }

    private static int countOperators(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' || c == '-' || c == '*' || c == '×') {
                n++;
            }
        }
        return n;
    }

    /** Recursive descent: expr := term (('+'|'-') term)*, term := factor ('*' factor)*, factor := '-' factor | num | '(' expr ')'. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Optional<Expr> parse() {
            try {
                Expr e = expr();
                skipSpace();
                return pos == s.length() ? Optional.of(e) : Optional.empty();
            } catch (IllegalStateException | ArithmeticException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        private Expr expr() {
            Expr left = term();
            while (true) {
                char c = peek();
                if (c == '+' || c == '-') {
                    pos++;
                    left = new Bin(left, c, term());
                } else {
                    return left;
                }
            }
        }

        private Expr term() {
            Expr left = factor();
            while (true) {
                char c = peek();
                if (c == '*' || c == '×') {
                    pos++;
                    left = new Bin(left, '*', factor());
                } else {
                    return left;
                }
            }
        }

        private Expr factor() {
            char c = peek();
            if (c == '-') {
                pos++;
                Expr inner = factor();
                return inner instanceof Num n ? new Num(Math.negateExact(n.value())) : new Bin(new Num(0), '-', inner);
            }
            if (c == '(') {
                pos++;
                Expr inner = expr();
                if (peek() != ')') {
                    throw new IllegalStateException("missing )");
                }
                pos++;
                return inner;
            }
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos || pos - start > 18) {
                throw new IllegalStateException("number expected");
            }
            return new Num(Long.parseLong(s, start, pos, 10));
        }

        private char peek() {
            skipSpace();
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
