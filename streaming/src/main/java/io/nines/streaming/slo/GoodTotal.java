package io.nines.streaming.slo;

/** Good and total events so far; a window's running count. */
public record GoodTotal(long good, long total) {

    static final GoodTotal ZERO = new GoodTotal(0, 0);

    public GoodTotal {
        if (good < 0 || total < 0 || good > total) {
            throw new IllegalArgumentException("need 0 <= good <= total, was good " + good + " and total " + total);
        }
    }

    GoodTotal plus(boolean isGood) {
        return new GoodTotal(good + (isGood ? 1 : 0), total + 1);
    }

    GoodTotal plus(GoodTotal other) {
        return new GoodTotal(good + other.good, total + other.total);
    }
}
