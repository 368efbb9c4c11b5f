package io.nines.infra.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of one deployable: {@code --key=value} arguments first, then {@code NINES_*} environment
 * variables, then the caller's documented defaults.
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
                throw new IllegalArgumentException("unknown option --" + key + " (known: " + List.copyOf(knownKeys) + ")");
            }
            args.put(key, arg.substring(eq + 1));
        }
        return new CommandLine(args, Map.copyOf(env));
    }

    /** {@code --some-key}, else {@code NINES_<PREFIX>SOME_KEY}. */
    Optional<String> value(String key, String envPrefix) {
        String fromArgs = args.get(key);
        if (fromArgs != null) {
            return Optional.of(fromArgs);
        }
        String envName = "NINES_" + envPrefix + key.toUpperCase().replace('-', '_');
        return Optional.ofNullable(env.get(envName)).filter(v -> !v.isBlank());
    }

    String value(String key, String envPrefix, String defaultValue) {
        return value(key, envPrefix).orElse(defaultValue);
    }

    int intValue(String key, String envPrefix, int defaultValue) {
        String raw = value(key, envPrefix, Integer.toString(defaultValue));
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer but was '" + raw + "'", e);
        }
    }
}
