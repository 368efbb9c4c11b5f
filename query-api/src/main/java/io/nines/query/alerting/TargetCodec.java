package io.nines.query.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nines.core.alerting.Severity;
import io.nines.core.slo.NotificationTarget;
import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A target as stored (the OpenSLO document, secrets included) and as shown (the same document with every secret
 * replaced by {@code ***} and the URL cut to its host).
 */
final class TargetCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TargetCodec() {}

    /** The stored document: an OpenSLO AlertNotificationTarget with every value, secrets too. */
    static String stored(NotificationTarget target) {
        return text(document(target, false));
    }

    /** What answers show: the document without secrets. */
    static ObjectNode shown(NotificationTarget target) {
        return document(target, true);
    }

    static NotificationTarget read(String stored) {
        try {
            JsonNode doc = JSON.readTree(stored);
            JsonNode spec = doc.path("spec");
            JsonNode nines = spec.path("nines");
            Set<Severity> severities = EnumSet.noneOf(Severity.class);
            nines.path("severities").forEach(s -> severities.add(Severity.of(s.asText())));
            Map<String, String> headers = new LinkedHashMap<>();
            nines.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            return new NotificationTarget(doc.path("metadata").path("name").asText(),
                    doc.path("metadata").path("labels").path("team").asText(),
                    NotificationTarget.Kind.of(spec.path("target").asText()).orElseThrow(),
                    spec.path("description").asText(""), URI.create(nines.path("url").asText()),
                    Optional.ofNullable(nines.get("routingKey")).map(JsonNode::asText), severities, headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored notification target is not JSON", e);
        }
    }

    private static ObjectNode document(NotificationTarget target, boolean redact) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("apiVersion", "openslo/v1");
        doc.put("kind", "AlertNotificationTarget");
        ObjectNode metadata = doc.putObject("metadata");
        metadata.put("name", target.name());
        metadata.putObject("labels").put("team", target.team());
        ObjectNode spec = doc.putObject("spec");
        spec.put("target", target.kind().label());
        spec.put("description", target.description());
        ObjectNode nines = spec.putObject("nines");
        nines.put("url", redact ? target.redactedUrl() : target.url().toString());
        target.routingKey().ifPresent(key -> nines.put("routingKey", redact ? NotificationTarget.REDACTED : key));
        ArrayNode severities = nines.putArray("severities");
        target.severities().forEach(s -> severities.add(s.label()));
        if (!target.headers().isEmpty()) {
            ObjectNode headers = nines.putObject("headers");
            target.headers().forEach((name, value) -> headers.put(name, redact ? NotificationTarget.REDACTED : value));
        }
        return doc;
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
