package io.nines.query.openapi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the document says about one route. The HTTP layer builds its routes from these same values, so the
 * document lists exactly the routes that exist, with the role each one requires.
 *
 * @param role {@code open}, {@code viewer}, {@code editor} or {@code admin}
 * @param response the record the route answers with, or empty for no body (204) or a non-JSON body
 * @param requestTypes the media types the route accepts as a body; empty for none
 * @param requestBody the record whose schema the body follows, in each of {@code requestTypes}
 * @param conflict when the route can answer 409, what the conflict is
 */
public record Operation(String method, String path, String role, String summary, List<Parameter> parameters,
        Optional<Class<?>> response, int successStatus, List<String> requestTypes, Optional<Class<?>> requestBody,
        Optional<String> conflict) {

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([a-zA-Z]+)}");

    public Operation {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(summary, "summary");
        parameters = List.copyOf(parameters);
        requestTypes = List.copyOf(requestTypes);
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(requestBody, "requestBody");
        Objects.requireNonNull(conflict, "conflict");
        if (requestTypes.isEmpty() != requestBody.isEmpty()) {
            throw new IllegalArgumentException(method + " " + path + " must name both its body's media types and its"
                    + " schema, or neither");
        }
        if (!List.of("open", "viewer", "editor", "admin").contains(role)) {
            throw new IllegalArgumentException("role must be open, viewer, editor or admin, was '" + role + "'");
        }
        var matcher = PATH_PARAMETER.matcher(path);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (parameters.stream().noneMatch(p -> p.in() == Parameter.In.PATH && p.name().equals(name))) {
                throw new IllegalArgumentException("path parameter {" + name + "} of " + path + " is not described");
            }
        }
    }

    /** A query, path or header parameter. */
    public record Parameter(String name, In in, String type, boolean required, String description) {

        public enum In { PATH, QUERY, HEADER }

        public Parameter {
            if (!List.of("string", "integer", "number").contains(type)) {
                throw new IllegalArgumentException("parameter type must be string, integer or number, was '" + type
                        + "'");
            }
        }

        public static Parameter path(String name, String description) {
            return new Parameter(name, In.PATH, "string", true, description);
        }

        public static Parameter query(String name, String type, String description) {
            return new Parameter(name, In.QUERY, type, false, description);
        }

        /** An optional request header, e.g. {@code If-Match}. */
        public static Parameter header(String name, String description) {
            return new Parameter(name, In.HEADER, "string", false, description);
        }
    }
}
