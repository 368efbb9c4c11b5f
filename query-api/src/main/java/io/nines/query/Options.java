package io.nines.query;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings as given: {@code --key=value} arguments first, then {@code NINES_QUERY_API_KEY}, then for the keys
 * every process shares (the ClickHouse and Kafka ones) {@code NINES_KEY}.
 */
final class Options {

    private final Map<String, String> args;
    private final Map<String, String> env;

    private Options(Map<String, String> args, Map<String, String> env) {
        this.args = args;
        this.env = env;
    }

    /** Rejects unknown and malformed arguments, so a typo fails at startup instead of being ignored. */
    static Options parse(String[] argv, Map<String, String> env, Set<String> knownKeys) {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            if (arg.startsWith("--") && arg.indexOf('=') < 0 && knownKeys.contains(arg.substring(2))) {
                // A bare flag such as --no-auth.
                args.put(arg.substring(2), "true");
                continue;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                throw new IllegalArgumentException("expected --key=value but got '" + arg + "'");
            }
            String key = arg.substring(2, eq);
            if (!knownKeys.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + " (known: " + new TreeSet<>(knownKeys) + ")");
            }
            args.put(key, arg.substring(eq + 1));
        }
        return new Options(args, Map.copyOf(env));
    }

    Optional<String> value(String key) {
        if (args.containsKey(key)) {
            return Optional.of(args.get(key).strip());
        }
        String name = key.toUpperCase().replace('-', '_');
        for (String envName : envNames(name)) {
            String value = env.get(envName);
            if (value != null) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    String value(String key, String defaultValue) {
        return value(key).orElse(defaultValue);
    }

    int intValue(String key, int defaultValue) {
        String raw = value(key, Integer.toString(defaultValue));
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, was '" + raw + "'", e);
        }
    }

    boolean booleanValue(String key) {
        String raw = value(key, "false");
        return switch (raw.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no", "" -> false;
            default -> throw new IllegalArgumentException("--" + key + " must be true or false, was '" + raw + "'");
        };
    }

    Duration millis(String key, Duration defaultValue) {
        String raw = value(key, Long.toString(defaultValue.toMillis()));
        try {
            return Duration.ofMillis(Long.parseLong(raw));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be milliseconds, was '" + raw + "'", e);
        }
    }

    private static List<String> envNames(String name) {
        return name.startsWith("CLICKHOUSE_") || name.startsWith("KAFKA_")
                ? List.of("NINES_QUERY_API_" + name, "NINES_" + name)
                : List.of("NINES_QUERY_API_" + name);
    }
}
