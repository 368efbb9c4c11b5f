package io.nines.query.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.nines.query.openapi.Operation;
import java.util.List;
import java.util.Optional;

/**
 * One route, declared once: its method, path and role register it with Javalin, and the same values, with the
 * parameters and response type, describe it in the OpenAPI document.
 */
record Route(HandlerType method, String path, Access access, String summary, List<Operation.Parameter> parameters,
        Optional<Class<?>> response, int successStatus, List<String> requestTypes, Optional<Class<?>> requestBody,
        Optional<String> conflict, Handler handler) {

    static Builder get(String path, Access access, String summary) {
        return new Builder(HandlerType.GET, path, access, summary);
    }

    static Builder post(String path, Access access, String summary) {
        return new Builder(HandlerType.POST, path, access, summary).status(201);
    }

    static Builder put(String path, Access access, String summary) {
        return new Builder(HandlerType.PUT, path, access, summary);
    }

    static Builder delete(String path, Access access, String summary) {
        return new Builder(HandlerType.DELETE, path, access, summary).status(204);
    }

    boolean write() {
        return method != HandlerType.GET && method != HandlerType.HEAD;
    }

    Operation operation() {
        return new Operation(method.name(), path, access.label(), summary, parameters, response, successStatus,
                requestTypes, requestBody, conflict);
    }

    /** Collects what a route says about itself; {@link #to} completes it with its handler. */
    static final class Builder {
        private final HandlerType method;
        private final String path;
        private final Access access;
        private final String summary;
        private List<Operation.Parameter> parameters = List.of();
        private Optional<Class<?>> response = Optional.empty();
        private int status = 200;
        private List<String> requestTypes = List.of();
        private Optional<Class<?>> requestBody = Optional.empty();
        private Optional<String> conflict = Optional.empty();

        private Builder(HandlerType method, String path, Access access, String summary) {
            this.method = method;
            this.path = path;
            this.access = access;
            this.summary = summary;
        }

        Builder parameters(Operation.Parameter... parameters) {
            this.parameters = List.of(parameters);
            return this;
        }

        Builder answers(Class<?> type) {
            this.response = Optional.of(type);
            return this;
        }

        Builder status(int status) {
            this.status = status;
            return this;
        }

        /** The body: its schema (a record describing it) and the media types it may come as. */
        Builder accepts(Class<?> body, String... types) {
            this.requestBody = Optional.of(body);
            this.requestTypes = List.of(types);
            return this;
        }

        /** The route answers 409 when {@code what} happens. */
        Builder conflicts(String what) {
            this.conflict = Optional.of(what);
            return this;
        }

        Route to(Handler handler) {
            return new Route(method, path, access, summary, parameters, response, status, requestTypes, requestBody,
                    conflict, handler);
        }
    }
}
