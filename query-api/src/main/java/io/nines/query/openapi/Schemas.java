package io.nines.query.openapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON Schemas of the response records, read from their components, so a field added to a record is in the
 * document without anyone remembering to add it. Nested records become {@code components/schemas} entries;
 * components marked {@code @JsonProperty(required = true)} are listed as required.
 */
final class Schemas {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, JsonNode> components = new TreeMap<>();

    /** A {@code $ref} to the schema of {@code type}, adding it (and what it holds) to the components. */
    JsonNode reference(Class<?> type) {
        String name = name(type);
        if (!components.containsKey(name)) {
            components.put(name, NODES.objectNode());
            components.put(name, record(type));
        }
        return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    Map<String, JsonNode> components() {
        return components;
    }

    private ObjectNode record(Class<?> type) {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        List<String> required = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            properties.set(component.getName(), of(component.getGenericType()));
            // Jackson's own marker, so the record says it once for the reader and the document alike.
            JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
            if (property != null && property.required()) {
                required.add(component.getName());
            }
        }
        if (!required.isEmpty()) {
            required.forEach(schema.putArray("required")::add);
        }
        return schema;
    }

    private JsonNode of(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                ObjectNode array = NODES.objectNode().put("type", "array");
                array.set("items", of(arguments[0]));
                return array;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode map = NODES.objectNode().put("type", "object");
                map.set("additionalProperties", of(arguments[1]));
                return map;
            }
            return of(raw);
        }
        Class<?> raw = (Class<?>) type;
        if (raw == String.class) {
            return NODES.objectNode().put("type", "string");
        }
        if (raw == long.class || raw == int.class) {
            return NODES.objectNode().put("type", "integer");
        }
        if (raw == Long.class || raw == Integer.class) {
            return nullable("integer");
        }
        if (raw == double.class) {
            return NODES.objectNode().put("type", "number");
        }
        if (raw == Double.class) {
            return nullable("number");
        }
        if (raw == boolean.class) {
            return NODES.objectNode().put("type", "boolean");
        }
        if (raw == Boolean.class) {
            return nullable("boolean");
        }
        if (raw.isRecord()) {
            return reference(raw);
        }
        // Object: a document passed through as it was written (an OpenSLO document).
        return NODES.objectNode();
    }

    private static JsonNode nullable(String type) {
        ObjectNode schema = NODES.objectNode();
        schema.putArray("type").add(type).add("null");
        return schema;
    }

    private static String name(Class<?> type) {
        Class<?> enclosing = type.getEnclosingClass();
        String simple = type.getSimpleName();
        if (enclosing == null) {
            return simple;
        }
        String outer = enclosing.getSimpleName().replace("Handlers", "");
        return simple.startsWith(outer) ? simple : outer + simple;
    }
}
