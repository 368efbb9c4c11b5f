package io.nines.infra.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * ClickHouse for tests: {@code io.nines.infra.clickhouse.ClickHouseServerMain} (chDB behind the ClickHouse HTTP
 * interface) in a child JVM, on a free port with a fresh data directory, using the {@code libchdb.so} named by
 * the system property {@code nines.chdb.lib}. {@link #stop()} and {@link #start()} restart it on the same port
 * and data.
 */
public final class EmbeddedClickHouse implements AutoCloseable {

    private static final String SERVER_MAIN = "io.nines.infra.clickhouse.ClickHouseServerMain";
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

    private final int port;
    private final RestartableChild server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private EmbeddedClickHouse(int port, RestartableChild server) {
        this.port = port;
        this.server = server;
    }

    /** Starts a server and returns once it answers HTTP; the log is {@code target/child-logs/<name>.log}. */
    public static EmbeddedClickHouse launch(String name) {
        String chdbLib = chdbLib();
        int port = FreePorts.next();
        Path dataDir = TempDirs.create(name);
        ChildJvm.Builder launch = ChildJvm.builder(name, SERVER_MAIN)
                .jvmOptions("-Xmx512m", "-XX:+UseSerialGC")
                .args("--host=127.0.0.1", "--port=" + port, "--path=" + dataDir, "--chdb-lib=" + chdbLib)
                .readyLine(Pattern.compile("ClickHouse HTTP interface ready on http://127\\.0\\.0\\.1:" + port + "\\b"));
        return new EmbeddedClickHouse(port, RestartableChild.started(name, launch, dataDir));
    }

    public static EmbeddedClickHouse launch() {
        return launch("clickhouse");
    }

    private static String chdbLib() {
        String lib = System.getProperty("nines.chdb.lib");
        if (lib == null || lib.isBlank() || lib.startsWith("${")) {
            throw new IllegalStateException("system property nines.chdb.lib is not set: export NINES_CHDB_LIB="
                    + "$HOME/.cache/nines/chdb/<version>/libchdb.so before Maven, or run the tests through ./nines test,"
                    + " which fetches libchdb.so");
        }
        if (!Path.of(lib).toFile().isFile()) {
            throw new IllegalStateException("nines.chdb.lib names " + lib + ", which is not a file: run ./nines test "
                    + "once to fetch libchdb.so");
        }
        return lib;
    }

    /** {@code http://127.0.0.1:PORT}, the ClickHouse HTTP interface. */
    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return server.dataDir();
    }

    /** A clickhouse-jdbc URL for {@code database}. */
    public String jdbcUrl(String database) {
        return "jdbc:clickhouse://127.0.0.1:" + port + "/" + database + "?compress=false";
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** How long the last start took until the server answered. */
    public Duration startupTime() {
        return server.startupTime();
    }

    /** Starts the server again after {@link #stop()}, with the same port and data; no-op if it runs. */
    public void start() {
        server.start();
    }

    /** Shuts the server down cleanly (SIGTERM), keeping its data for {@link #start()}. */
    public void stop() {
        server.stop();
    }

    /** {@code CREATE DATABASE IF NOT EXISTS name}. */
    public void createDatabase(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database name '" + database + "' must match " + DATABASE_NAME);
        }
        execute("CREATE DATABASE IF NOT EXISTS " + database);
    }

    /** Runs one statement over the HTTP interface and returns the response body; fails on any non-200 answer. */
    public String execute(String sql) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl() + "/"))
                .timeout(QUERY_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(sql))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("ClickHouse on " + httpUrl() + " answered " + response.statusCode()
                        + " to [" + sql + "]: " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("ClickHouse on " + httpUrl() + " did not answer [" + sql + "]", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running [" + sql + "]", e);
        }
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "EmbeddedClickHouse[" + httpUrl() + ", data " + dataDir() + "]";
    }
}
