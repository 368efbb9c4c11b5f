package io.nines.query.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** Builds the OpenAPI 3.1 document of a list of operations. */
public final class OpenApiDocument {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PROBLEM = "application/problem+json";

    private OpenApiDocument() {}

    public static ObjectNode build(String title, String version, List<Operation> operations) {
        Schemas schemas = new Schemas();
        ObjectNode root = NODES.objectNode().put("openapi", "3.1.0");
        root.putObject("info").put("title", title).put("version", version)
                .put("description", "Latency, SLOs and error budgets of the services Nines watches. Every route but"
                        + " the open ones needs a token (Authorization: Bearer) or a dashboard session cookie; each"
                        + " operation names the role it requires in x-nines-role. Errors are RFC 9457 problems.");
        ObjectNode paths = root.putObject("paths");
        for (Operation operation : operations) {
            ObjectNode item = paths.has(operation.path()) ? (ObjectNode) paths.get(operation.path())
                    : paths.putObject(operation.path());
            item.set(operation.method().toLowerCase(Locale.ROOT), operation(operation, schemas));
        }
        ObjectNode components = root.putObject("components");
        ObjectNode schemaNodes = components.putObject("schemas");
        schemaNodes.set("Problem", problem());
        schemas.components().forEach(schemaNodes::set);
        ObjectNode security = components.putObject("securitySchemes");
        security.putObject("bearer").put("type", "http").put("scheme", "bearer");
        security.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", "nines_session");
        return root;
    }

    private static ObjectNode operation(Operation operation, Schemas schemas) {
        ObjectNode node = NODES.objectNode().put("summary", operation.summary())
                .put("operationId", operationId(operation)).put("x-nines-role", operation.role());
        if (!operation.parameters().isEmpty()) {
            ArrayNode parameters = node.putArray("parameters");
            for (Operation.Parameter parameter : operation.parameters()) {
                ObjectNode p = parameters.addObject().put("name", parameter.name())
                        .put("in", parameter.in().name().toLowerCase(Locale.ROOT))
                        .put("required", parameter.required()).put("description", parameter.description());
                p.putObject("schema").put("type", parameter.type());
            }
        }
        operation.requestBody().ifPresent(body -> {
            ObjectNode content = node.putObject("requestBody").put("required", true).putObject("content");
            operation.requestTypes().forEach(type -> content.putObject(type).set("schema", schemas.reference(body)));
        });
        boolean read = operation.method().equals("GET");
        ObjectNode responses = node.putObject("responses");
        ObjectNode success = responses.putObject(Integer.toString(operation.successStatus()))
                .put("description", "success");
        operation.response().ifPresent(type -> success.putObject("content").putObject("application/json")
                .set("schema", schemas.reference(type)));
        if (read) {
            // Every read goes through the same validator code (Answers), so every one can answer 304.
            success.putObject("headers").putObject("ETag").put("description", "validator of this answer; send it"
                    + " back as If-None-Match").putObject("schema").put("type", "string");
            responses.putObject("304").put("description", "Not Modified: If-None-Match holds the current ETag; no"
                    + " body");
        }
        if (!operation.parameters().isEmpty() || operation.requestBody().isPresent()) {
            problem(responses, "400", "invalid parameter or body");
        }
        if (operation.parameters().stream().anyMatch(p -> p.in() == Operation.Parameter.In.PATH)) {
            problem(responses, "404", "nothing of that name (or id)");
        }
        operation.conflict().ifPresent(conflict -> problem(responses, "409", conflict));
        if (operation.parameters().stream().anyMatch(p -> p.in() == Operation.Parameter.In.HEADER
                && p.name().equals("If-Match"))) {
            problem(responses, "412", "If-Match does not name the current version, or another change was written at"
                    + " the same time");
        }
        if (operation.requestBody().isPresent()) {
            problem(responses, "413", "the body is larger than the route accepts");
            problem(responses, "415", "the body's Content-Type is not one of the accepted types");
        }
        if (!operation.role().equals("open")) {
            ArrayNode security = node.putArray("security");
            security.addObject().putArray("bearer");
            security.addObject().putArray("session");
            problem(responses, "401", "no valid token or session");
            problem(responses, "403", "the token's role or team does not allow this");
            problem(responses, "429", "the token sent more requests than its limit (Retry-After, RateLimit-*)");
        }
        problem(responses, "503", "overloaded or storage unavailable (Retry-After)");
        return node;
    }

    private static void problem(ObjectNode responses, String status, String description) {
        responses.putObject(status).put("description", description).putObject("content").putObject(PROBLEM)
                .putObject("schema").put("$ref", "#/components/schemas/Problem");
    }

    private static ObjectNode problem() {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        for (String field : List.of("type", "title", "detail", "instance", "parameter", "requestId")) {
            properties.putObject(field).put("type", "string");
        }
        properties.putObject("status").put("type", "integer");
        properties.putObject("errors").put("type", "array");
        return schema;
    }

    private static String operationId(Operation operation) {
        StringBuilder id = new StringBuilder(operation.method().toLowerCase(Locale.ROOT));
        for (String segment : operation.path().split("/")) {
            if (segment.isEmpty() || segment.equals("api") || segment.equals("v1")) {
                continue;
            }
            String word = segment.replaceAll("[{}]", "");
            word = segment.startsWith("{") ? "By" + capital(word) : capital(word);
            id.append(word);
        }
        return id.toString();
    }

    private static String capital(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
