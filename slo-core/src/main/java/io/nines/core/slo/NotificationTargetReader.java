package io.nines.core.slo;

import io.nines.core.alerting.Severity;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads OpenSLO v1 {@code AlertNotificationTarget} documents (YAML or JSON) into {@link NotificationTarget}s, in the
 * style of {@link OpenSloReader}: every broken rule is reported at once with its field path. Complaints about
 * secrets ({@code url}, {@code routingKey}, header values) never quote the value.
 *
 * <p>Nines reads {@code spec.target} ({@code pagerduty}, {@code slack} or {@code webhook}) and
 * {@code spec.description} from OpenSLO, and the rest from the extension {@code spec.nines}:
 * {@code url}, {@code routingKey} (PagerDuty), {@code severities} and {@code headers}.
 */
public final class NotificationTargetReader {

  static final String KIND = "AlertNotificationTarget";
  private static final int MAX_URL = 2048;
  private static final int MAX_SECRET = 512;
  private static final int MAX_HEADERS = 20;
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
  /** Headers the delivery sets itself; letting a document set them would break or smuggle requests. */
  private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type",
      "transfer-encoding", "connection", "expect", "upgrade");

  private final LoadSettings settings = LoadSettings.builder()
      .setLabel(KIND)
      .setMaxAliasesForCollections(20)
      .setAllowRecursiveKeys(false)
      .setAllowDuplicateKeys(false)
      .setCodePointLimit(OpenSloReader.MAX_CHARS)
      .build();

  /**
   * The targets in {@code text}: YAML documents separated by {@code ---}, or JSON (one object, or an array).
   *
   * @throws InvalidSloException naming every broken rule with its field path; nothing is read then
   */
  public List<NotificationTarget> read(String text) {
    if (text.length() > OpenSloReader.MAX_CHARS) {
      throw single("(document)", "is larger than " + OpenSloReader.MAX_CHARS + " characters");
    }
    List<Object> documents = new ArrayList<>();
    try {
      Optional<String> breach = YamlPrecheck.firstBreach(text, settings);
      if (breach.isPresent()) {
        throw single("(document)", breach.get());
      }
      for (Object document : new Load(settings).loadAllFromString(text)) {
        if (document instanceof List<?> array) {
          documents.addAll(array);
        } else if (document != null) {
          documents.add(document);
        }
      }
    } catch (YamlEngineException e) {
      throw single("(document)", "is not valid YAML or JSON: " + e.getMessage().lines().findFirst().orElse(""));
    } catch (StackOverflowError e) {
      throw single("(document)", "is nested too deeply");
    }
    if (documents.isEmpty()) {
      throw single("kind", "no AlertNotificationTarget document found");
    }
    List<InvalidSloException.Violation> violations = new ArrayList<>();
    List<NotificationTarget> targets = new ArrayList<>();
    Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < documents.size(); i++) {
      Field doc = new Field(documents.size() > 1 ? "documents[" + i + "]" : "", documents.get(i), violations);
      if (!(documents.get(i) instanceof Map)) {
        doc.violate("must be a mapping with apiVersion, kind, metadata and spec");
        continue;
      }
      target(doc).ifPresent(target -> {
        if (!names.add(target.name())) {
          doc.get("metadata").get("name").violate("names '" + target.name() + "' a second time in one request");
        }
        targets.add(target);
      });
    }
    if (!violations.isEmpty()) {
      throw new InvalidSloException(violations);
    }
    return targets;
  }

  private Optional<NotificationTarget> target(Field doc) {
    doc.required("apiVersion").string().filter(v -> !v.equals("openslo/v1"))
        .ifPresent(v -> doc.get("apiVersion").violate("must be openslo/v1, was '" + v + "'"));
    doc.required("kind").string().filter(k -> !k.equals(KIND))
        .ifPresent(k -> doc.get("kind").violate("must be " + KIND + ", was '" + k + "'"));
    Field metadata = doc.required("metadata");
    Optional<String> name = metadata.required("name").string();
    Optional<String> team = metadata.get("labels").get("team").string();
    if (team.isEmpty() && metadata.isPresent()) {
      metadata.get("labels").get("team").violate("is required: every notification target belongs to a team");
    }
    Field spec = doc.required("spec");
    Optional<NotificationTarget.Kind> kind = spec.required("target").string().flatMap(label -> {
      Optional<NotificationTarget.Kind> known = NotificationTarget.Kind.of(label);
      if (known.isEmpty()) {
        spec.get("target").violate("must be pagerduty, slack or webhook, was '" + label + "'");
      }
      return known;
    });
    Optional<String> description = spec.get("description").string();
    Field nines = spec.required("nines");
    Optional<URI> url = url(nines.required("url"));
    Optional<String> routingKey = secret(nines.get("routingKey"));
    if (kind.filter(k -> k == NotificationTarget.Kind.PAGERDUTY).isPresent() && routingKey.isEmpty()
        && nines.isPresent()) {
      nines.get("routingKey").violate("is required for a pagerduty target (the integration key of the service)");
    }
    Set<Severity> severities = severities(nines.get("severities"));
    Map<String, String> headers = headers(nines.get("headers"));
    if (name.isEmpty() || team.isEmpty() || kind.isEmpty() || url.isEmpty() || severities.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new NotificationTarget(name.get(), team.get(), kind.get(), description.orElse(""),
          url.get(), routingKey, severities, headers));
    } catch (IllegalArgumentException e) {
      doc.violate(e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<URI> url(Field field) {
    Optional<String> text = field.string();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String value = text.get().strip();
    try {
      URI uri = new URI(value);
      if (value.length() <= MAX_URL && uri.isAbsolute() && uri.getHost() != null
          && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // reported below, without the value: URLs of Slack webhooks carry their secret
    }
    field.violate("must be an absolute http or https URL with a host, at most " + MAX_URL + " characters");
    return Optional.empty();
  }

  private static Optional<String> secret(Field field) {
    Optional<String> value = field.string();
    if (value.isPresent() && (value.get().isBlank() || value.get().length() > MAX_SECRET)) {
      field.violate("must be 1 to " + MAX_SECRET + " characters");
      return Optional.empty();
    }
    return value;
  }

  private static Set<Severity> severities(Field field) {
    if (!field.isPresent()) {
      return EnumSet.allOf(Severity.class);
    }
    Set<Severity> severities = EnumSet.noneOf(Severity.class);
    for (Field item : field.list()) {
      item.string().ifPresent(label -> {
        try {
          severities.add(Severity.of(label.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          item.violate("must be page or ticket, was '" + label + "'");
        }
      });
    }
    if (severities.isEmpty()) {
      field.violate("must name at least one of page, ticket");
    }
    return severities;
  }

  private static Map<String, String> headers(Field field) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (!field.isPresent()) {
      return headers;
    }
    Map<String, String> given = field.stringMap();
    if (given.size() > MAX_HEADERS) {
      field.violate("may hold at most " + MAX_HEADERS + " headers, held " + given.size());
    }
    given.forEach((headerName, value) -> {
      Field header = field.get(headerName);
      if (!HEADER_NAME.matcher(headerName).matches()) {
        header.violate("is not a valid header name");
      } else if (RESERVED_HEADERS.contains(headerName.toLowerCase(Locale.ROOT))) {
        header.violate("is set by Nines itself and may not be given");
      } else if (value.length() > MAX_SECRET || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
        header.violate("value must be one line of at most " + MAX_SECRET + " characters");
      } else {
        headers.put(headerName, value);
      }
    });
    return headers;
  }

  private static InvalidSloException single(String path, String rule) {
    return new InvalidSloException(List.of(new InvalidSloException.Violation(path, rule)));
  }
}
