package io.nines.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployable's settings as given, read once by its entry point into a validated config record.
 *
 * <p>For a key such as {@code kafka-bootstrap} the first of these wins: the argument
 * {@code --kafka-bootstrap=...}, the variable {@code NINES_<COMPONENT>_KAFKA_BOOTSTRAP}, for the
 * {@link #SHARED_KEYS} that every process on a host has in common also {@code NINES_KAFKA_BOOTSTRAP},
 * and last the caller's documented default.
 * Unknown and malformed arguments are refused, so a typo fails at startup instead of being ignored.
 * Keys the caller declares as flags may also be given bare: {@code --no-auth} means {@code --no-auth=true}.
 * A deployable that documented other variable names keeps them with {@link #alsoReading}.
 */
public final class CommandLine {

  /** Keys that mean the same for every deployable, so one {@code NINES_<KEY>} variable serves them all. */
  public static final Set<String> SHARED_KEYS = Set.of(
      "kafka-bootstrap", "clickhouse-url", "clickhouse-user", "clickhouse-password", "chdb-lib");

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

  private final Map<String, String> args;
  private final Map<String, String> env;
  private final String component;
  private final Map<String, List<String>> aliases;

  private CommandLine(Map<String, String> args, Map<String, String> env, String component,
      Map<String, List<String>> aliases) {
    this.args = args;
    this.env = env;
    this.component = component;
    this.aliases = aliases;
  }

  /**
   * @param component the deployable's name in variables, e.g. {@code COLLECTOR} for {@code NINES_COLLECTOR_*}
   * @param knownKeys every key the deployable reads
   */
  public static CommandLine parse(String[] argv, Map<String, String> env, String component, Set<String> knownKeys) {
    return parse(argv, env, component, knownKeys, Set.of());
  }

  /**
   * @param component the deployable's name in variables, e.g. {@code COLLECTOR} for {@code NINES_COLLECTOR_*}
   * @param knownKeys every key the deployable reads
   * @param flagKeys the keys among them that may be given bare, {@code --key} meaning {@code --key=true}
   */
  public static CommandLine parse(String[] argv, Map<String, String> env, String component, Set<String> knownKeys,
      Set<String> flagKeys) {
    Map<String, String> args = new HashMap<>();
    for (String arg : argv) {
      if (arg.startsWith("--") && arg.indexOf('=') < 0 && flagKeys.contains(arg.substring(2))
          && knownKeys.contains(arg.substring(2))) {
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
    return new CommandLine(Map.copyOf(args), Map.copyOf(env), component.toUpperCase(Locale.ROOT), Map.of());
  }

  /**
   * These settings, where {@code key} is also read from {@code variables}, in order, when neither an argument
   * nor the standard variables set it: for names a deployable documented before they followed the scheme.
   */
  public CommandLine alsoReading(String key, String... variables) {
    Map<String, List<String>> more = new HashMap<>(aliases);
    more.merge(key, List.of(variables), (before, added) -> {
      List<String> all = new ArrayList<>(before);
      all.addAll(added);
      return List.copyOf(all);
    });
    return new CommandLine(args, env, component, Map.copyOf(more));
  }

  /** The raw value of {@code key}, if any source sets it. */
  public Optional<String> value(String key) {
    String given = args.get(key);
    if (given != null) {
      return Optional.of(given.strip());
    }
    String name = key.toUpperCase(Locale.ROOT).replace('-', '_');
    List<String> variables = new ArrayList<>();
    variables.add("NINES_" + component + "_" + name);
    if (SHARED_KEYS.contains(key)) {
      variables.add("NINES_" + name);
    }
    variables.addAll(aliases.getOrDefault(key, List.of()));
    for (String variable : variables) {
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.strip());
      }
    }
    return Optional.empty();
  }

  public String string(String key, String defaultValue) {
    return value(key).orElse(defaultValue);
  }

  public int integer(String key, int defaultValue) {
    return value(key).map(raw -> {
      try {
        return Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + key + " must be a whole number, was '" + raw + "'", e);
      }
    }).orElse(defaultValue);
  }

  public double number(String key, double defaultValue) {
    return value(key).map(raw -> {
      try {
        return Double.parseDouble(raw);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + key + " must be a number, was '" + raw + "'", e);
      }
    }).orElse(defaultValue);
  }

  public long longValue(String key, long defaultValue) {
    return value(key).map(raw -> {
      try {
        return Long.parseLong(raw);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + key + " must be a whole number, was '" + raw + "'", e);
      }
    }).orElse(defaultValue);
  }

  public boolean flag(String key, boolean defaultValue) {
    return value(key).map(raw -> switch (raw.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new IllegalArgumentException("--" + key + " must be true or false, was '" + raw + "'");
    }).orElse(defaultValue);
  }

  public Path path(String key, Path defaultValue) {
    return value(key).map(Path::of).orElse(defaultValue);
  }

  /** A duration such as {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}; bare numbers are ms. */
  public Duration duration(String key, Duration defaultValue) {
    return value(key).map(raw -> parseDuration(key, raw)).orElse(defaultValue);
  }

  static Duration parseDuration(String key, String raw) {
    Matcher m = DURATION.matcher(raw);
    if (!m.matches()) {
      throw new IllegalArgumentException("--" + key + " must be a duration like 250ms, 10s, 5m or 1h, was '" + raw + "'");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
