package io.nines.query.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * Serves the web dashboards at {@code /} when the dashboards jar (its {@code nines-dashboards/} resources) is on the
 * classpath, as {@code ./nines up} puts it; without it the API runs as before. Client routes ({@code /slos/x})
 * fall back to {@code index.html}.
 */
final class DashboardAssets {

    static final String DIRECTORY = "/nines-dashboards";

    private DashboardAssets() {}

    static void install(JavalinConfig config) {
        if (DashboardAssets.class.getResource(DIRECTORY + "/index.html") == null) {
            return;
        }
        // Built assets are named by their content hash, so a browser may keep them for good.
        config.staticFiles.add(files -> {
            files.hostedPath = "/assets";
            files.directory = DIRECTORY + "/assets";
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", "public, max-age=31536000, immutable");
        });
        // index.html names the current hashes: revalidated on every load, so a new build shows at once.
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = DIRECTORY;
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", "no-cache");
        });
        config.spaRoot.addFile("/", DIRECTORY + "/index.html", Location.CLASSPATH);
    }
}
