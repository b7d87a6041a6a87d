package dev.verigen.verifier.math;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/** An exact fraction, always in lowest terms with a positive denominator; sizes are bounded so nothing explodes. */
record Rational(BigInteger num, BigInteger den) {

    static final int MAX_BITS = 4096;
    static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    static final Rational HUNDRED = new Rational(BigInteger.valueOf(100), BigInteger.ONE);

    /** Thrown when a value cannot be computed exactly (division by zero, too large); the caller compares as text. */
    static final class NotExact extends RuntimeException {
        NotExact(String message) {
            super(message, null, false, false);
        }
    }

    static Rational of(BigInteger num, BigInteger den) {
        if (den.signum() == 0) {
            throw new NotExact("division by zero");
        }
        if (num.bitLength() > MAX_BITS || den.bitLength() > MAX_BITS) {
            throw new NotExact("too large");
        }
        if (den.signum() < 0) {
            num = num.negate();
            den = den.negate();
        }
        BigInteger g = num.gcd(den);
        if (g.signum() != 0 && !g.equals(BigInteger.ONE)) {
            num = num.divide(g);
            den = den.divide(g);
        }
        return new Rational(num, den);
    }

    static Rational parseDecimal(String s) {
        BigDecimal d = new BigDecimal(s);
        if (d.scale() > 1000 || d.scale() < -1000) {
            throw new NotExact("too many digits");
        }
        return d.scale() >= 0
                ? of(d.unscaledValue(), BigInteger.TEN.pow(d.scale()))
                : of(d.unscaledValue().multiply(BigInteger.TEN.pow(-d.scale())), BigInteger.ONE);
    }

    Rational add(Rational o) {
        return of(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    Rational negate() {
        return new Rational(num.negate(), den);
    }

    Rational subtract(Rational o) {
        return add(o.negate());
    }

    Rational multiply(Rational o) {
        return of(num.multiply(o.num), den.multiply(o.den));
    }

    Rational divide(Rational o) {
        return of(num.multiply(o.den), den.multiply(o.num));
    }

    /** Integer powers only; a fractional exponent is a root, which is not exact in general. */
    Rational pow(Rational e) {
        if (!e.den.equals(BigInteger.ONE) || e.num.bitLength() > 16) {
            throw new NotExact("non-integer or huge exponent");
        }
        int n = e.num.intValue();
        long bits = (long) Math.max(num.bitLength(), den.bitLength()) * Math.abs(n);
        if (bits > MAX_BITS) {
            throw new NotExact("too large");
        }
        Rational r = of(num.pow(Math.abs(n)), den.pow(Math.abs(n)));
        return n >= 0 ? r : of(r.den, r.num);
    }

    BigDecimal toBigDecimal() {
        return new BigDecimal(num).divide(new BigDecimal(den), MathContext.DECIMAL128);
    }

    /** {@code 1/2}, {@code -3}, or a decimal approximation when the fraction is too long to read. */
    String show() {
        String s = den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
        return s.length() <= 60 ? s : toBigDecimal().round(new MathContext(16)).toString();
    }
}
