package io.nines.collector;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The collector's settings as given: {@code --key=value} arguments first, then {@code NINES_*} environment
 * variables; the caller supplies the documented defaults.
 */
final class CommandLine {

    private final Map<String, String> args;
    private final Map<String, String> env;

    private CommandLine(Map<String, String> args, Map<String, String> env) {
        this.args = args;
        this.env = env;
    }

    /** Rejects unknown and malformed options so that a typo fails at startup instead of being ignored. */
    static CommandLine parse(String[] argv, Map<String, String> env, Set<String> knownKeys) {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                throw new IllegalArgumentException("expected --key=value but got '" + arg + "'");
            }
            String key = arg.substring(2, eq);
            if (!knownKeys.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown option --" + key + " (known: " + new TreeSet<>(knownKeys) + ")");
            }
            args.put(key, arg.substring(eq + 1));
        }
        return new CommandLine(args, Map.copyOf(env));
    }

    /** {@code --some-key}, else the first set environment variable among {@code envNames}. */
    Optional<String> value(String key, String... envNames) {
        String fromArgs = args.get(key);
        if (fromArgs != null) {
            return Optional.of(fromArgs.trim());
        }
        for (String name : envNames) {
            String fromEnv = env.get(name);
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Optional.of(fromEnv.trim());
            }
        }
        return Optional.empty();
    }

    int intValue(String key, int defaultValue, String... envNames) {
        return value(key, envNames).map(raw -> parseInt(key, raw)).orElse(defaultValue);
    }

    long longValue(String key, long defaultValue, String... envNames) {
        return value(key, envNames).map(raw -> {
            try {
                return Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + key + " must be an integer but was '" + raw + "'", e);
            }
        }).orElse(defaultValue);
    }

    Duration millis(String key, Duration defaultValue, String... envNames) {
        return value(key, envNames).map(raw -> Duration.ofMillis(parseInt(key, raw))).orElse(defaultValue);
    }

    private static int parseInt(String key, String raw) {
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer but was '" + raw + "'", e);
        }
    }
}
