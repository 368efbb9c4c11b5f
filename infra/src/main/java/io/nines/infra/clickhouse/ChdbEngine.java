package io.nines.infra.clickhouse;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One persistent chDB connection, used by one statement at a time. ClickHouse's HTTP interface gives every
 * request a fresh session, while chDB has a single long-lived one; so whatever a request changes in the session
 * (current database, settings) is put back before the next request runs, and if that fails the connection is
 * reopened.
 */
final class ChdbEngine implements AutoCloseable {

  static final String DEFAULT_DATABASE = "default";

  private static final Logger LOG = LoggerFactory.getLogger(ChdbEngine.class);
  private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String CHANGED_SETTINGS = "SELECT name, value FROM system.settings WHERE changed";
  private static final int QUERY_CLASS_READ_ONLY = 0;
  private static final int QUERY_CLASS_CONTROL = 3;
  private static final int QUERY_CLASS_UNKNOWN = 4;

  private final ChdbLibrary library;
  private final Path dataPath;
  private final FileChannel lockChannel;
  private final FileLock dataLock;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final String version;
  private Map<String, String> baselineSettings = Map.of();
  private Pointer handle;
  private boolean closed;

  private ChdbEngine(
      ChdbLibrary library, String version, Path dataPath, FileChannel lockChannel, FileLock dataLock) {
    this.library = library;
    this.version = version;
    this.dataPath = dataPath;
    this.lockChannel = lockChannel;
    this.dataLock = dataLock;
  }

  /** Loads libchdb, locks the data directory against a second server and connects; fails loudly. */
  static ChdbEngine open(Path libraryPath, Path dataPath) throws IOException {
    if (!Files.isRegularFile(libraryPath)) {
      throw new IOException("libchdb.so not found at " + libraryPath + " (set --chdb-lib or NINES_CHDB_LIB)");
    }
    Files.createDirectories(dataPath);
    FileChannel channel =
        FileChannel.open(dataPath.resolve("nines-chdb.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock dataLock;
    try {
      dataLock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      dataLock = null;
    }
    if (dataLock == null) {
      channel.close();
      throw new IOException("data directory " + dataPath + " is locked: another ClickHouse server is using it");
    }
    ChdbEngine engine = null;
    try {
      ChdbLibrary library = Native.load(libraryPath.toString(), ChdbLibrary.class);
      library.chdb_set_signal_handlers_enabled(0);
      engine = new ChdbEngine(library, library.chdb_version(), dataPath, channel, dataLock);
      engine.connect();
      engine.baselineSettings = engine.changedSettings();
      return engine;
    } catch (RuntimeException | LinkageError | ClickHouseException e) {
      if (engine != null) {
        engine.close();
      } else {
        channel.close();
      }
      throw new IOException("cannot start chDB from " + libraryPath + " on " + dataPath + ": " + e.getMessage(), e);
    }
  }

  String version() {
    return version;
  }

  /** Runs one statement with its own database and settings, and leaves the session as it found it. */
  Outcome execute(Statement statement) throws ClickHouseException {
    lock.lock();
    try {
      if (closed) {
        throw ClickHouseException.of(ClickHouseException.ABORTED, "ABORTED", "Server is shutting down");
      }
      boolean sessionTouched = false;
      try {
        if (!statement.database().equals(DEFAULT_DATABASE)) {
          sessionTouched = true;
          run("USE " + SqlText.quoteIdentifier(statement.database()));
        }
        if (!statement.settings().isEmpty()) {
          sessionTouched = true;
          run(setStatement(statement.settings()));
        }
        QueryAnalysis analysis = classify(statement.sql());
        if (analysis.statements() > 1) {
          throw ClickHouseException.of(
              ClickHouseException.SYNTAX_ERROR, "SYNTAX_ERROR", "Multi-statements are not allowed");
        }
        sessionTouched |= analysis.queryClass() == QUERY_CLASS_CONTROL;
        // Text that does not parse (no statements) is left to chDB, which rejects it with the syntax error.
        if (statement.readOnly() && analysis.queryClass() != QUERY_CLASS_READ_ONLY && analysis.statements() > 0) {
          throw ClickHouseException.of(
              ClickHouseException.READONLY, "READONLY", "Cannot execute query in readonly mode");
        }
        return statement.isInsertWithData() ? insert(statement) : query(statement);
      } finally {
        if (sessionTouched) {
          restoreSession();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private Outcome query(Statement statement) throws ClickHouseException {
    byte[] sql = utf8(statement.sql());
    byte[] format = utf8(statement.outputFormat());
    if (statement.parameters().isEmpty()) {
      return consume(library.chdb_query_n(connection(), sql, sql.length, format, format.length));
    }
    NativeStrings names = NativeStrings.keys(statement.parameters());
    NativeStrings values = NativeStrings.values(statement.parameters());
    return consume(
        library.chdb_query_with_params_n(
            connection(), sql, sql.length, format, format.length,
            names.pointers, names.lengths, values.pointers, values.lengths, names.count()));
  }

  private Outcome insert(Statement statement) throws ClickHouseException {
    byte[] sql = utf8(statement.sql());
    byte[] format = utf8(statement.insertFormat());
    NativeStrings names = NativeStrings.keys(statement.parameters());
    NativeStrings values = NativeStrings.values(statement.parameters());
    Pointer stream =
        library.chdb_stream_insert_with_params_n(
            connection(), sql, sql.length, format, format.length,
            names.pointers, names.lengths, values.pointers, values.lengths, names.count());
    if (stream == null) {
      throw ClickHouseException.fromEngine("chDB could not start the insert");
    }
    try {
      String error = library.chdb_stream_insert_error(stream);
      if (error == null && statement.data().length > 0
          && library.chdb_stream_append(stream, statement.data(), statement.data().length) != 0) {
        error = Objects.requireNonNullElse(library.chdb_stream_insert_error(stream), "chDB refused the data");
      }
      if (error != null) {
        throw ClickHouseException.fromEngine(error);
      }
      return consume(library.chdb_stream_done(stream));
    } finally {
      library.chdb_destroy_insert_stream(stream);
    }
  }

  private Outcome consume(Pointer result) throws ClickHouseException {
    if (result == null) {
      throw ClickHouseException.fromEngine("chDB returned no result");
    }
    try {
      String error = library.chdb_result_error(result);
      if (error != null) {
        throw ClickHouseException.fromEngine(error);
      }
      long length = library.chdb_result_length(result);
      Pointer buffer = library.chdb_result_buffer(result);
      byte[] body = buffer == null || length == 0 ? new byte[0] : buffer.getByteArray(0, Math.toIntExact(length));
      return new Outcome(
          body,
          library.chdb_result_storage_rows_read(result),
          library.chdb_result_storage_bytes_read(result),
          library.chdb_result_rows_written(result),
          library.chdb_result_bytes_written(result),
          library.chdb_result_rows_read(result),
          library.chdb_result_bytes_read(result),
          (long) (library.chdb_result_elapsed(result) * 1e9));
    } finally {
      library.chdb_destroy_query_result(result);
    }
  }

  /** What ClickHouse's parser says about a statement, without running it. */
  private QueryAnalysis classify(String sql) {
    byte[] bytes = utf8(sql);
    // chdb_query_analysis_v1: struct_size, statement_count, flags, query_class
    int[] analysis = {16, 0, 0, QUERY_CLASS_UNKNOWN};
    if (library.chdb_classify_query_n(connection(), bytes, bytes.length, null, 0, analysis) != 0) {
      return new QueryAnalysis(1, QUERY_CLASS_UNKNOWN);
    }
    return new QueryAnalysis(analysis[1], analysis[3]);
  }

  private record QueryAnalysis(int statements, int queryClass) {}

  private String run(String sql) throws ClickHouseException {
    byte[] bytes = utf8(sql);
    byte[] format = utf8("TabSeparated");
    Outcome outcome = consume(library.chdb_query_n(connection(), bytes, bytes.length, format, format.length));
    return new String(outcome.body(), StandardCharsets.UTF_8);
  }

  private Map<String, String> changedSettings() throws ClickHouseException {
    Map<String, String> settings = new HashMap<>();
    for (String line : run(CHANGED_SETTINGS).split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        settings.put(line.substring(0, tab), SqlText.unescapeTsv(line.substring(tab + 1)));
      }
    }
    return settings;
  }

  private void restoreSession() {
    try {
      run("USE " + DEFAULT_DATABASE);
      Map<String, String> changed = changedSettings();
      List<String> assignments = new ArrayList<>();
      TreeSet<String> names = new TreeSet<>(changed.keySet());
      names.addAll(baselineSettings.keySet());
      for (String name : names) {
        String baseline = baselineSettings.get(name);
        if (!Objects.equals(baseline, changed.get(name))) {
          assignments.add(name + " = " + (baseline == null ? "DEFAULT" : SqlText.quoteString(baseline)));
        }
      }
      if (!assignments.isEmpty()) {
        run("SET " + String.join(", ", assignments));
      }
    } catch (ClickHouseException e) {
      LOG.warn("Reopening the chDB connection: could not reset its session ({})", e.getMessage());
      library.chdb_close_conn(handle);
      handle = null;
      connect();
    }
  }

  private void connect() {
    Pointer connected = library.chdb_connect(2, new String[] {"chdb", "--path=" + dataPath.toAbsolutePath()});
    if (connected == null || connected.getPointer(0) == null) {
      throw new IllegalStateException("chdb_connect failed for " + dataPath);
    }
    handle = connected;
  }

  private Pointer connection() {
    return handle.getPointer(0);
  }

  private static String setStatement(Map<String, String> settings) throws ClickHouseException {
    List<String> assignments = new ArrayList<>();
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      if (!SETTING_NAME.matcher(setting.getKey()).matches()) {
        throw ClickHouseException.of(
            ClickHouseException.UNKNOWN_SETTING, "UNKNOWN_SETTING", "Unknown setting '" + setting.getKey() + "'");
      }
      assignments.add(setting.getKey() + " = " + SqlText.quoteString(setting.getValue()));
    }
    return "SET " + String.join(", ", assignments);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Blocks until the statement running now has finished, then closes the connection; idempotent. */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (handle != null) {
        library.chdb_close_conn(handle);
        handle = null;
      }
      dataLock.release();
      lockChannel.close();
    } finally {
      lock.unlock();
    }
  }

  /** Strings laid out for chDB's name/value arrays; null arrays when there are none, as the C API allows. */
  private static final class NativeStrings {
    private final Pointer[] pointers;
    private final long[] lengths;

    private NativeStrings(List<String> strings) {
      if (strings.isEmpty()) {
        pointers = null;
        lengths = null;
        return;
      }
      pointers = new Pointer[strings.size()];
      lengths = new long[strings.size()];
      for (int i = 0; i < strings.size(); i++) {
        byte[] bytes = utf8(strings.get(i));
        Memory memory = new Memory(Math.max(1, bytes.length));
        memory.write(0, bytes, 0, bytes.length);
        pointers[i] = memory;
        lengths[i] = bytes.length;
      }
    }

    static NativeStrings keys(Map<String, String> map) {
      return new NativeStrings(map.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getKey).toList());
    }

    static NativeStrings values(Map<String, String> map) {
      return new NativeStrings(
          map.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList());
    }

    long count() {
      return pointers == null ? 0 : pointers.length;
    }
  }
}
