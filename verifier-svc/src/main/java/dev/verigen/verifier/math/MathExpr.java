package dev.verigen.verifier.math;

/**
 * Evaluates a normalised answer ({@link MathNormalizer}) to an exact {@link Rational}: numbers, {@code + - * / ^},
 * parentheses and a postfix {@code %}. Anything else (a variable, {@code \sqrt}, {@code \pi}) is not a number and
 * throws {@link Rational.NotExact}. Nesting is bounded, so hostile input costs no stack.
 */
final class MathExpr {

    static final int MAX_LENGTH = 2000;
    static final int MAX_DEPTH = 64;

    private final String s;
    private final boolean percentAsFraction;
    private int pos;
    private int depth;

    private MathExpr(String s, boolean percentAsFraction) {
        this.s = s;
        this.percentAsFraction = percentAsFraction;
    }

    static Rational evaluate(String normalised, boolean percentAsFraction) {
        if (normalised.isEmpty() || normalised.length() > MAX_LENGTH) {
            throw new Rational.NotExact("empty or too long");
        }
        MathExpr p = new MathExpr(normalised, percentAsFraction);
        Rational r = p.expr();
        if (p.pos != p.s.length()) {
            throw new Rational.NotExact("unexpected '" + p.s.charAt(p.pos) + "'");
        }
        return r;
    }

    private Rational expr() {
        if (++depth > MAX_DEPTH) {
            throw new Rational.NotExact("nested too deeply");
        }
        Rational r = term();
        while (pos < s.length() && (peek() == '+' || peek() == '-')) {
            char op = s.charAt(pos++);
            Rational t = term();
            r = op == '+' ? r.add(t) : r.subtract(t);
        }
        depth--;
        return r;
    }

    private Rational term() {
        Rational r = unary();
        while (pos < s.length() && (peek() == '*' || peek() == '/')) {
            char op = s.charAt(pos++);
            Rational u = unary();
            r = op == '*' ? r.multiply(u) : r.divide(u);
        }
        return r;
    }

    private Rational unary() {
        if (pos < s.length() && (peek() == '-' || peek() == '+')) {
            if (++depth > MAX_DEPTH) {
                throw new Rational.NotExact("nested too deeply");
            }
            boolean neg = s.charAt(pos++) == '-';
            Rational r = unary();
            depth--;
            return neg ? r.negate() : r;
        }
        Rational base = postfix();
        if (pos < s.length() && peek() == '^') {
            pos++;
            if (++depth > MAX_DEPTH) {
                throw new Rational.NotExact("nested too deeply");
            }
            Rational e = unary();
            depth--;
            return base.pow(e);
        }
        return base;
    }

    private Rational postfix() {
        Rational r = primary();
        if (pos < s.length() && peek() == '%') {
            pos++;
            return percentAsFraction ? r.divide(Rational.HUNDRED) : r;
        }
        return r;
    }

    private Rational primary() {
        if (pos >= s.length()) {
            throw new Rational.NotExact("unexpected end");
        }
        char c = peek();
        if (c == '(' || c == '{') {
            pos++;
            Rational r = expr();
            if (pos >= s.length() || peek() != (c == '(' ? ')' : '}')) {
                throw new Rational.NotExact("unbalanced");
            }
            pos++;
            return r;
        }
        int start = pos;
        while (pos < s.length() && (Character.isDigit(peek()) && peek() < 128 || peek() == '.')) {
            pos++;
        }
        if (start == pos) {
            throw new Rational.NotExact("not a number at '" + c + "'");
        }
        try {
            return Rational.parseDecimal(s.substring(start, pos));
        } catch (NumberFormatException e) {
            throw new Rational.NotExact("bad number");
        }
    }

    private char peek() {
        return s.charAt(pos);
    }
}
