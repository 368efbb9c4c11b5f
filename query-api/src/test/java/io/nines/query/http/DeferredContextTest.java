package io.nines.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real Javalin server whose handlers write through a {@link DeferredContext}, as the lanes' pools do. */
class DeferredContextTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<String> seenBeforeSend = new AtomicReference<>();
    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sendsWhatTheHandlerWroteOnlyWhenAskedInTheOrderItWasWritten() throws Exception {
        app = Javalin.create(config -> config.routes.get("/sent", ctx -> {
            DeferredContext deferred = new DeferredContext(ctx);
            deferred.status(HttpStatus.CREATED).header("ETag", "\"1\"").header("ETag", "\"2\"")
                    .json(Map.of("answer", 42));
            // Reads on the deferred context see its own writes; the real response has none of them yet.
            seenBeforeSend.set(deferred.statusCode() + " " + ctx.statusCode() + " " + ctx.res().getHeader("ETag"));
            deferred.sendOn(ctx);
        })).start("127.0.0.1", 0);

        HttpResponse<String> response = get("/sent");

        assertThat(seenBeforeSend.get()).isEqualTo("201 200 null");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().allValues("ETag")).containsExactly("\"2\"");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).isEqualTo("{\"answer\":42}");
    }

    @Test
    void writesOfAnAbandonedHandlerNeverReachTheResponse() throws Exception {
        app = Javalin.create(config -> config.routes.get("/abandoned", ctx -> {
            DeferredContext late = new DeferredContext(ctx);
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("timed out");
            // The work finishing after the server answered: recorded, never sent.
            late.status(HttpStatus.OK).header("Cache-Status", "late").result("late answer");
        })).start("127.0.0.1", 0);

        HttpResponse<String> response = get("/abandoned");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Cache-Status")).isEmpty();
        assertThat(response.body()).isEqualTo("timed out");
    }

    @Test
    void refusesStreamingWritesThatCannotBeDeferred() throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        app = Javalin.create(config -> config.routes.get("/stream", ctx -> {
            DeferredContext deferred = new DeferredContext(ctx);
            try {
                deferred.res().getOutputStream();
            } catch (RuntimeException e) {
                refused.set(e);
            }
            ctx.result("ok");
        })).start("127.0.0.1", 0);

        assertThat(get("/stream").body()).isEqualTo("ok");
        assertThat(refused.get()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("the response's output stream");
    }
}
