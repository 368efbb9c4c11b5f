package io.nines.query.slo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.nines.core.slo.InvalidSloException;
import io.nines.core.slo.OpenSloReader;
import io.nines.core.slo.SloDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Turns request text (OpenSLO YAML or JSON, one or more documents) into validated SLOs, each with its document
 * as canonical JSON: keys sorted and an {@code indicatorRef} replaced by the SLI it names, so that the stored
 * document stands alone and two texts that mean the same thing compare equal.
 */
public final class SloDocuments {

    /** One SLO of a request: what Nines computes and the document it is stored and published as. */
    public record SloDocument(SloDefinition definition, String canonicalJson) {}

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .stringQuotingChecker(new QuoteTimestamps())
            .build());

    /** YAML 1.1 readers (PyYAML, go-yaml v2) would turn an unquoted calendar startTime into a timestamp. */
    private static final class QuoteTimestamps extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;
        private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}.*");

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || TIMESTAMP.matcher(value).matches();
        }
    }

    private final OpenSloReader reader = new OpenSloReader();
    // Loads only text the reader has cleared of anchors and aliases (which copy() would expand), and of
    // oversized input and recursive keys.
    private final LoadSettings settings = LoadSettings.builder()
            .setMaxAliasesForCollections(20)
            .setAllowRecursiveKeys(false)
            .setAllowDuplicateKeys(false)
            .setCodePointLimit(OpenSloReader.MAX_CHARS)
            .build();

    /**
     * Reads every SLO of {@code text}; a JSON array is read as a list of documents.
     *
     * @throws InvalidSloException naming every broken rule with its field path; nothing is read then
     */
    public List<SloDocument> read(String text) {
        String documentsText = asDocuments(text);
        List<SloDefinition> definitions = reader.read(documentsText);
        List<Object> documents = new ArrayList<>();
        new Load(settings).loadAllFromString(documentsText).forEach(documents::add);
        Map<String, Object> indicators = new HashMap<>();
        List<Map<String, Object>> slos = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) instanceof Map<?, ?> map) {
                Map<String, Object> copy = copy(map);
                if ("SLI".equals(copy.get("kind")) && copy.get("metadata") instanceof Map<?, ?> metadata) {
                    indicators.put(String.valueOf(metadata.get("name")), copy);
                } else if ("SLO".equals(copy.get("kind"))) {
                    slos.add(copy);
                    paths.add(documents.size() > 1 ? "documents[" + i + "]" : "");
                }
            }
        }
        if (slos.size() != definitions.size()) {
            throw new IllegalStateException("read " + definitions.size() + " SLOs but found " + slos.size()
                    + " SLO documents");
        }
        List<SloDocument> result = new ArrayList<>();
        List<InvalidSloException.Violation> violations = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < slos.size(); i++) {
            SloDefinition definition = definitions.get(i);
            String path = paths.get(i);
            if (!seen.add(definition.name())) {
                violations.add(new InvalidSloException.Violation(path.isEmpty() ? "metadata.name"
                        : path + ".metadata.name", "names '" + definition.name() + "' a second time in one request"));
            }
            String json = canonical(inline(slos.get(i), indicators));
            // Stored and published documents are read again by this reader (the API, the stream): one it could not
            // read back must not be accepted. Escaping makes the JSON longer than the text it came from.
            if (json.length() > OpenSloReader.MAX_CHARS) {
                violations.add(new InvalidSloException.Violation(path.isEmpty() ? "(document)" : path,
                        "is larger than " + OpenSloReader.MAX_CHARS + " characters as canonical JSON, was "
                                + json.length() + " (quotes, backslashes and line breaks count twice)"));
            }
            result.add(new SloDocument(definition, json));
        }
        if (!violations.isEmpty()) {
            throw new InvalidSloException(violations);
        }
        return List.copyOf(result);
    }

    /**
     * What one text (a file of a directory) holds, looked at before it is read, so SLIs can be shared across files:
     * its SLI documents by name as JSON, the names its SLOs' {@code indicatorRef}s give, whether it holds an SLO,
     * how many documents it has, and the text as documents (a JSON array split into documents).
     */
    record Contents(Map<String, String> indicators, Set<String> references, boolean holdsSlo, int documents,
            String text) {}

    /** The contents of {@code text}; nothing when it is not text the reader accepts (reading it then says why). */
    Contents contents(String text) {
        Map<String, String> indicators = new LinkedHashMap<>();
        Set<String> references = new HashSet<>();
        boolean holdsSlo = false;
        String documentsText = text;
        List<Object> documents = new ArrayList<>();
        try {
            documentsText = asDocuments(text);
            reader.precheck(documentsText);
            new Load(settings).loadAllFromString(documentsText).forEach(documents::add);
        } catch (RuntimeException | StackOverflowError e) {
            return new Contents(Map.of(), Set.of(), false, 0, documentsText);
        }
        for (Object document : documents) {
            if (!(document instanceof Map<?, ?> map)) {
                continue;
            }
            if ("SLI".equals(map.get("kind")) && map.get("metadata") instanceof Map<?, ?> metadata
                    && metadata.get("name") instanceof String name) {
                indicators.put(name, canonical(map));
            } else if ("SLO".equals(map.get("kind"))) {
                holdsSlo = true;
                if (map.get("spec") instanceof Map<?, ?> spec && spec.get("indicatorRef") instanceof String ref) {
                    references.add(ref);
                }
            }
        }
        return new Contents(indicators, references, holdsSlo, documents.size(), documentsText);
    }

    /** A stored document as OpenSLO YAML. */
    public static String toYaml(String canonicalJson) {
        try {
            return YAML.writeValueAsString(CANONICAL.readValue(canonicalJson, LinkedHashMap.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored SLO document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A stored document as a JSON tree, for answers that embed it. */
    public static Object toTree(String canonicalJson) {
        try {
            return CANONICAL.readTree(canonicalJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored SLO document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** JSON arrays of documents become a multi-document text, so the reader names each one. */
    private String asDocuments(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("[")) {
            return text;
        }
        reader.precheck(text);
        Object parsed;
        try {
            parsed = new Load(settings).loadFromString(text);
        } catch (RuntimeException | StackOverflowError e) {
            return text; // the reader reports what is wrong with it
        }
        if (!(parsed instanceof List<?> items)) {
            return text;
        }
        List<String> documents = new ArrayList<>();
        for (Object item : items) {
            documents.add(canonical(item));
        }
        return String.join("\n---\n", documents);
    }

    private static Map<String, Object> inline(Map<String, Object> slo, Map<String, Object> indicators) {
        if (slo.get("spec") instanceof Map<?, ?> rawSpec && rawSpec.get("indicatorRef") instanceof String ref
                && indicators.get(ref) instanceof Map<?, ?> sli) {
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) rawSpec;
            Map<String, Object> indicator = new LinkedHashMap<>();
            indicator.put("metadata", sli.get("metadata"));
            indicator.put("spec", sli.get("spec"));
            spec.remove("indicatorRef");
            spec.put("indicator", indicator);
        }
        return slo;
    }

    private static Map<String, Object> copy(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), copyValue(value)));
        return copy;
    }

    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return copy(map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SloDocuments::copyValue).toList();
        }
        return value;
    }

    private static String canonical(Object document) {
        try {
            return CANONICAL.writeValueAsString(document instanceof Map<?, ?> map ? copy(map) : document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a loaded YAML document could not be written as JSON", e);
        }
    }
}
