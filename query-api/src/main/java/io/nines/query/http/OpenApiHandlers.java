package io.nines.query.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * {@code /openapi}: the document; {@code /openapi/ui}: Swagger UI from its webjar on the classpath (no CDN), with
 * our page and initializer.
 */
final class OpenApiHandlers {

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> FILES = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "init.js", "text/javascript; charset=utf-8");

    private final Supplier<ObjectNode> build;
    private final String swaggerVersion;
    private volatile String document;

    /** @param build makes the document; called once, on the first request, when every route is declared */
    OpenApiHandlers(Supplier<ObjectNode> build) {
        this.build = build;
        this.swaggerVersion = webjarVersion();
    }

    void document(Context ctx) {
        String text = document;
        if (text == null) {
            text = build.get().toPrettyString();
            document = text;
        }
        String body = text;
        Answers.text(ctx, "application/json", body);
    }

    void page(Context ctx) {
        Answers.bytes(ctx, "text/html; charset=utf-8", resource("openapi-ui/index.html"));
    }

    void asset(Context ctx) {
        String file = ctx.pathParam("file");
        String type = FILES.get(file);
        if (type == null) {
            throw new NotFoundResponse("no file " + Params.echo(file) + " under /openapi/ui");
        }
        String path = file.equals("init.js") ? "openapi-ui/init.js" : WEBJAR + swaggerVersion + "/" + file;
        ctx.header("Cache-Control", "public, max-age=86400");
        Answers.bytes(ctx, type, resource(path));
    }

    private static byte[] resource(String path) {
        try (InputStream in = OpenApiHandlers.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The webjar's version, from its Maven metadata, so that upgrading it in the pom is all it takes. */
    private static String webjarVersion() {
        Properties properties = new Properties();
        try (InputStream in = OpenApiHandlers.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is not on the classpath");
            }
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
