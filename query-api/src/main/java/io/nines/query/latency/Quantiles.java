package io.nines.query.latency;

import io.nines.core.latency.LatencyHistogram;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The quantiles a caller asked for, each with the label it is echoed under ("0.5" for "0.50" or ".5"). */
public record Quantiles(List<String> labels) {

    public static final int MAX_COUNT = 20;
    // Plain decimals only: exponents like 1e-999999999 would expand to absurd labels.
    private static final Pattern DECIMAL = Pattern.compile("[0-9]?(\\.[0-9]{1,9})?");
    // After DECIMAL, which parsing needs during class initialisation.
    public static final Quantiles DEFAULT = parse("0.5,0.9,0.99");

    public Quantiles {
        if (labels == null || labels.isEmpty()) {
            throw new InvalidQueryException("quantiles", "quantiles must list at least one quantile");
        }
        if (labels.size() > MAX_COUNT) {
            throw new InvalidQueryException("quantiles",
                    "quantiles must list at most " + MAX_COUNT + " values, was " + labels.size());
        }
        labels = List.copyOf(labels);
    }

    /** Parses a comma-separated list such as {@code 0.5,0.99}; duplicates are answered once. */
    public static Quantiles parse(String list) {
        List<String> labels = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String label = normalise(raw.strip());
            if (!labels.contains(label)) {
                labels.add(label);
            }
        }
        return new Quantiles(labels);
    }

    /** Each quantile of {@code histogram} in ms, in the order asked; null for every one when it is empty. */
    public Map<String, Double> of(LatencyHistogram histogram) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String label : labels) {
            values.put(label, histogram.isEmpty() ? null : histogram.quantile(Double.parseDouble(label)));
        }
        return Collections.unmodifiableMap(values);
    }

    private static String normalise(String raw) {
        if (raw.isEmpty() || raw.length() > 12 || !DECIMAL.matcher(raw).matches()) {
            throw new InvalidQueryException("quantiles", "quantiles must be decimal numbers within [0, 1] such as"
                    + " 0.5,0.99, was '" + abbreviate(raw) + "'");
        }
        BigDecimal value = new BigDecimal(raw.startsWith(".") ? "0" + raw : raw);
        if (value.compareTo(BigDecimal.ONE) > 0) {
            throw new InvalidQueryException("quantiles", "quantiles must be within [0, 1], was " + raw);
        }
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    static String abbreviate(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
    }
}
