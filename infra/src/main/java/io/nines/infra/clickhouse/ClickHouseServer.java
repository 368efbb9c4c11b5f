package io.nines.infra.clickhouse;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ClickHouse's HTTP interface in front of chDB (ClickHouse as a library), so that clickhouse-jdbc, curl and any
 * other ClickHouse client talk to it as to a production server. Queries run one at a time in chDB; the HTTP side
 * serves many clients from a bounded pool.
 */
public final class ClickHouseServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseServer.class);
  private static final int HANDLER_THREADS = 32;
  private static final int QUEUED_REQUESTS = 1024;
  private static final int BACKLOG = 256;

  private final ClickHouseServerConfig config;
  private ChdbEngine engine;
  private HttpServer http;
  private ThreadPoolExecutor handlers;

  public ClickHouseServer(ClickHouseServerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Opens the data directory in chDB and starts listening.
   *
   * @throws IOException when the library cannot be loaded, the data directory is locked or the port is taken
   */
  public synchronized void start() throws IOException {
    if (engine != null) {
      throw new IllegalStateException("ClickHouse server already started on port " + port());
    }
    ChdbEngine opened = ChdbEngine.open(config.chdbLibrary(), config.dataPath());
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), BACKLOG);
    } catch (BindException e) {
      opened.close();
      throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
    // Callers run a request themselves when the queue is full: the acceptor slows down instead of dropping it.
    handlers = new ThreadPoolExecutor(HANDLER_THREADS, HANDLER_THREADS, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUED_REQUESTS), threadFactory(), new ThreadPoolExecutor.CallerRunsPolicy());
    handlers.allowCoreThreadTimeOut(true);
    server.setExecutor(handlers);
    server.createContext("/", new QueryHandler(opened, new NativeLz4(), config.password().orElse(""),
        new RequestBodies(config.maxBodyBytes())));
    server.start();
    engine = opened;
    http = server;
    LOG.info("ClickHouse (chDB {}) serving {} on {}:{}", opened.version(), config.dataPath(), config.host(), port());
  }

  /** The port the server listens on, which is the chosen one when the configuration asked for port 0. */
  public synchronized int port() {
    if (http == null) {
      throw new IllegalStateException("ClickHouse server is not running");
    }
    return http.getAddress().getPort();
  }

  /** Stops accepting requests, lets running ones finish, then closes chDB so its data is flushed. */
  @Override
  public synchronized void close() {
    if (http == null) {
      return;
    }
    http.stop(1);
    handlers.shutdown();
    try {
      if (!handlers.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Requests still running after 30 s; closing chDB once the current one ends");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      engine.close();
    } catch (IOException e) {
      LOG.warn("Could not release the lock on {}: {}", config.dataPath(), e.getMessage());
    }
    http = null;
    engine = null;
    handlers = null;
  }

  private static ThreadFactory threadFactory() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> new Thread(runnable, "clickhouse-http-" + count.incrementAndGet());
  }
}
