package io.nines.infra.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code --key=value} arguments first, then {@code NINES_DEMO_KEY} environment variables, then defaults. */
final class DemoCommandLine {

    private final Map<String, String> args;
    private final Map<String, String> env;

    private DemoCommandLine(Map<String, String> args, Map<String, String> env) {
        this.args = args;
        this.env = env;
    }

    /** Rejects unknown and malformed options so that a typo fails at startup instead of being ignored. */
    static DemoCommandLine parse(String[] argv, Map<String, String> env, Set<String> knownKeys) {
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
            args.put(key, arg.substring(eq + 1).trim());
        }
        return new DemoCommandLine(args, Map.copyOf(env));
    }

    String value(String key, String defaultValue) {
        String fromArgs = args.get(key);
        if (fromArgs != null) {
            return fromArgs;
        }
        String fromEnv = env.get("NINES_DEMO_" + key.toUpperCase().replace('-', '_'));
        return fromEnv == null || fromEnv.isBlank() ? defaultValue : fromEnv.trim();
    }

    long longValue(String key, long defaultValue) {
        String raw = value(key, Long.toString(defaultValue));
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer but was '" + raw + "'", e);
        }
    }

    double doubleValue(String key, double defaultValue) {
        String raw = value(key, Double.toString(defaultValue));
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number but was '" + raw + "'", e);
        }
    }
}
