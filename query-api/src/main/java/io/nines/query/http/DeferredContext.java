package io.nines.query.http;

import io.javalin.config.Key;
import io.javalin.config.MultipartConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.json.JsonMapper;
import io.javalin.plugin.ContextPlugin;
import io.javalin.router.Endpoint;
import io.javalin.router.Endpoints;
import io.javalin.security.RouteRole;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The context a handler sees on a lane's pool thread: it reads the request as usual, but what it writes (status,
 * headers, body) is only recorded, and {@link #sendOn} copies it to the real response on the server's thread once
 * the work finished within its time limit. A handler that outlives its limit therefore writes into a buffer
 * nobody sends, never into a response that already went out as 503 (or into the next request on the same
 * connection).
 *
 * <p>Javalin's {@link Context} writes everything through {@link #res()} and {@link #result(InputStream)}, so
 * recording those two covers its default methods ({@code json}, {@code header}, {@code status}...). Streaming
 * writes ({@code outputStream}, {@code future}, {@code writeJsonStream}, {@code redirect}) are refused: no
 * pooled route uses them.
 */
final class DeferredContext implements Context {

    private final Context real;
    private final List<Consumer<Context>> writes = new ArrayList<>();
    private final RecordingResponse response;
    private InputStream result;

    DeferredContext(Context real) {
        this.real = real;
        this.response = new RecordingResponse(real.res());
    }

    /** Copies what the handler wrote to {@code target}, in the order it was written. */
    void sendOn(Context target) {
        synchronized (writes) {
            for (Consumer<Context> write : writes) {
                write.accept(target);
            }
        }
        if (result != null) {
            target.result(result);
        }
    }

    private void record(Consumer<Context> write) {
        synchronized (writes) {
            writes.add(write);
        }
    }

    @Override
    public HttpServletRequest req() {
        return real.req();
    }

    @Override
    public HttpServletResponse res() {
        return response;
    }

    @Override
    public Endpoints endpoints() {
        return real.endpoints();
    }

    @Override
    public Endpoint endpoint() {
        return real.endpoint();
    }

    @Override
    public <T> T appData(Key<T> key) {
        return real.appData(key);
    }

    @Override
    public JsonMapper jsonMapper() {
        return real.jsonMapper();
    }

    @Override
    public <T> T with(Class<? extends ContextPlugin<?, T>> plugin) {
        return real.with(plugin);
    }

    @Override
    public MultipartConfig multipartConfig() {
        return real.multipartConfig();
    }

    @Override
    public boolean strictContentTypes() {
        return real.strictContentTypes();
    }

    @Override
    public String pathParam(String key) {
        return real.pathParam(key);
    }

    @Override
    public Map<String, String> pathParamMap() {
        return real.pathParamMap();
    }

    @Override
    public ServletOutputStream outputStream() {
        throw refused("outputStream");
    }

    @Override
    public Context minSizeForCompression(int bytes) {
        record(target -> target.minSizeForCompression(bytes));
        return this;
    }

    @Override
    public Context result(InputStream stream) {
        this.result = stream;
        return this;
    }

    @Override
    public InputStream resultInputStream() {
        return result;
    }

    @Override
    public void future(Supplier<? extends CompletableFuture<?>> future) {
        throw refused("future");
    }

    @Override
    public void redirect(String location, HttpStatus status) {
        throw refused("redirect");
    }

    @Override
    public void writeJsonStream(Stream<?> stream) {
        throw refused("writeJsonStream");
    }

    @Override
    public Context skipRemainingHandlers() {
        record(Context::skipRemainingHandlers);
        return this;
    }

    @Override
    public Set<RouteRole> routeRoles() {
        return real.routeRoles();
    }

    private static UnsupportedOperationException refused(String what) {
        return new UnsupportedOperationException(what + " is not available to handlers on a lane's pool: write"
                + " the answer with result, json or header");
    }

    /** Reads go to the real response; writes are recorded for {@link #sendOn}. */
    private final class RecordingResponse extends HttpServletResponseWrapper {

        private Integer status;
        private String contentType;

        RecordingResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int code) {
            status = code;
            record(target -> target.res().setStatus(code));
        }

        @Override
        public int getStatus() {
            return status != null ? status : super.getStatus();
        }

        @Override
        public void setContentType(String type) {
            contentType = type;
            record(target -> target.res().setContentType(type));
        }

        @Override
        public String getContentType() {
            return contentType != null ? contentType : super.getContentType();
        }

        @Override
        public void setCharacterEncoding(String charset) {
            record(target -> target.res().setCharacterEncoding(charset));
        }

        @Override
        public void setHeader(String name, String value) {
            record(target -> target.res().setHeader(name, value));
        }

        @Override
        public void addHeader(String name, String value) {
            record(target -> target.res().addHeader(name, value));
        }

        @Override
        public void setIntHeader(String name, int value) {
            record(target -> target.res().setIntHeader(name, value));
        }

        @Override
        public void addIntHeader(String name, int value) {
            record(target -> target.res().addIntHeader(name, value));
        }

        @Override
        public void setDateHeader(String name, long date) {
            record(target -> target.res().setDateHeader(name, date));
        }

        @Override
        public void addDateHeader(String name, long date) {
            record(target -> target.res().addDateHeader(name, date));
        }

        @Override
        public void addCookie(Cookie cookie) {
            record(target -> target.res().addCookie(cookie));
        }

        @Override
        public void setContentLength(int length) {
            record(target -> target.res().setContentLength(length));
        }

        @Override
        public void setContentLengthLong(long length) {
            record(target -> target.res().setContentLengthLong(length));
        }

        @Override
        public ServletOutputStream getOutputStream() {
            throw refused("the response's output stream");
        }

        @Override
        public PrintWriter getWriter() {
            throw refused("the response's writer");
        }

        @Override
        public void sendError(int code, String message) {
            throw refused("sendError");
        }

        @Override
        public void sendError(int code) {
            throw refused("sendError");
        }

        @Override
        public void sendRedirect(String location) {
            throw refused("sendRedirect");
        }

        @Override
        public void flushBuffer() {
            throw refused("flushBuffer");
        }

        @Override
        public void reset() {
            throw refused("reset");
        }
    }
}
