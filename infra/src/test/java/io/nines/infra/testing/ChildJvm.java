package io.nines.infra.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A Java main class running in a child process, as it would in production: its own JVM, its own classpath,
 * output in {@code target/child-logs/<name>.log}. Built with {@link #builder}; {@link Builder#start()} returns
 * once the child printed its ready line.
 */
public final class ChildJvm implements AutoCloseable {

    /** Lines of output a failure message quotes. */
    static final int TAIL_LINES = 50;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Spec spec;
    private final Process process;
    private final Thread pump;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Thread killOnExit;
    private final Instant launchedAt;
    private volatile Duration startupTime;

    /** What one launch was asked to do, frozen so that later changes to the builder cannot affect it. */
    private record Spec(String name, Path logFile, Pattern readyLine, Duration startupTimeout) {
    }

    private ChildJvm(Spec spec, Process process, BufferedWriter log, Instant launchedAt) {
        this.spec = spec;
        this.process = process;
        this.launchedAt = launchedAt;
        this.pump = new Thread(() -> pump(log), "child-jvm-output-" + spec.name());
        this.pump.setDaemon(true);
        // a test JVM that ends without closing its children must not leave brokers behind on a shared machine
        this.killOnExit = new Thread(process::destroyForcibly, "child-jvm-kill-" + spec.name());
    }

    private ChildJvm follow() {
        pump.start();
        Runtime.getRuntime().addShutdownHook(killOnExit);
        awaitReady();
        startupTime = Duration.between(launchedAt, Instant.now());
        return this;
    }

    /**
     * A child running {@code mainClass} on infra's runtime classpath ({@code nines.infra.classes} and the jars
     * in {@code nines.infra.lib}, both set by the parent pom's surefire configuration).
     */
    public static Builder builder(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    /** Infra's runtime classpath as the parent pom hands it to every module's tests. */
    public static String infraClasspath() {
        String classes = requiredProperty("nines.infra.classes");
        String lib = requiredProperty("nines.infra.lib");
        File[] jars = new File(lib).listFiles((dir, file) -> file.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no jars in " + lib + " (nines.infra.lib): build infra first with "
                    + "`mvn -pl infra install -DskipTests`, or run the tests through ./nines test");
        }
        return classes + File.pathSeparator + lib + File.separator + "*";
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven "
                    + "(mvn test, whose surefire configuration in the parent pom sets it) or ./nines test");
        }
        return value;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return spec.logFile();
    }

    /** From launch to the ready line (or to launch, for children without one). */
    public Duration startupTime() {
        return startupTime;
    }

    /** The ready line the child printed, or empty for children started without a ready pattern. */
    public String readyLine() {
        return ready.getNow("");
    }

    /** The last lines the child printed, oldest first. */
    public List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    /** Waits for a child that runs to completion, such as a command-line tool, and returns its exit status. */
    public int awaitExit(Duration timeout) {
        try {
            int status = process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS).exitValue();
            pump.join(timeout.toMillis());
            return status;
        } catch (TimeoutException e) {
            throw new AssertionError(spec.name() + " did not exit within " + timeout + describeTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + spec.name() + " to exit", e);
        } catch (ExecutionException e) {
            throw new AssertionError("could not wait for " + spec.name(), e.getCause());
        } finally {
            if (!process.isAlive()) {
                removeKillOnExit();
            }
        }
    }

    /** SIGTERM, so the child shuts down cleanly; SIGKILL if it has not exited within 30 s. */
    public void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                process.onExit().join();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new AssertionError("could not stop " + spec.name(), e.getCause());
            }
        }
        try {
            pump.join(STOP_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeKillOnExit();
    }

    /** SIGKILL: the child dies at once, as in a crash or an OOM kill, without running its shutdown hooks. */
    public void kill() {
        process.destroyForcibly();
        process.onExit().join();
        try {
            pump.join(STOP_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeKillOnExit();
    }

    @Override
    public void close() {
        stop();
    }

    private void removeKillOnExit() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the test JVM is already shutting down and runs the hook itself
        }
    }

    private void awaitReady() {
        if (spec.readyLine() == null) {
            ready.complete("");
            return;
        }
        CompletableFuture<Object> readyOrExited = CompletableFuture.anyOf(ready, process.onExit());
        try {
            readyOrExited.get(spec.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop();
            throw new AssertionError(spec.name() + " printed no line matching /" + spec.readyLine() + "/ within "
                    + spec.startupTimeout() + describeTail(), e);
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while starting " + spec.name(), e);
        } catch (ExecutionException e) {
            stop();
            throw new AssertionError("could not start " + spec.name(), e.getCause());
        }
        if (!ready.isDone()) {
            // the child exited; its last lines may still be on their way through the pump
            stop();
        }
        if (!ready.isDone()) {
            throw new AssertionError(spec.name() + " exited with status " + process.exitValue()
                    + " before printing a line matching /" + spec.readyLine() + "/" + describeTail());
        }
    }

    private String describeTail() {
        List<String> lines = tail();
        return "; log " + spec.logFile() + ", last " + lines.size() + " lines:\n" + String.join("\n", lines);
    }

    private void pump(BufferedWriter log) {
        try (log; BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                log.write(line);
                log.newLine();
                log.flush();
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
                if (!ready.isDone() && spec.readyLine() != null && spec.readyLine().matcher(line).find()) {
                    ready.complete(line);
                }
            }
        } catch (IOException e) {
            // the stream closes when the child dies; what it printed until then is in the log
        }
    }

    /** What to run; each {@link #start()} launches a fresh process from the same description. */
    public static final class Builder {

        private final String name;
        private final String mainClass;
        private String classpath;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Pattern readyLine;
        private Duration startupTimeout = Duration.ofSeconds(120);
        private Path logDir = Path.of("target", "child-logs");

        private Builder(String name, String mainClass) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("child name '" + name + "' must be usable as a file name");
            }
            this.name = name;
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        }

        /** Another deployable's classpath; by default infra's ({@link ChildJvm#infraClasspath()}). */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath, "classpath");
            return this;
        }

        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        public Builder args(String... arguments) {
            args.addAll(List.of(arguments));
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** A line matching this (anywhere in the line) means the child is ready; without one, start returns at once. */
        public Builder readyLine(Pattern pattern) {
            this.readyLine = pattern;
            return this;
        }

        public Builder readyLine(String regex) {
            return readyLine(Pattern.compile(regex));
        }

        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startup timeout must be positive but was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        public Builder logDir(Path dir) {
            this.logDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        Path logFile() {
            return logDir.resolve(name + ".log");
        }

        /** Launches the child and waits for its ready line; fails with the child's last lines if it never comes. */
        public ChildJvm start() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(classpath != null ? classpath : infraClasspath());
            command.add(mainClass);
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            BufferedWriter log;
            try {
                Files.createDirectories(logDir);
                log = Files.newBufferedWriter(logFile(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                log.write("---- " + Instant.now() + " starting " + String.join(" ", command));
                log.newLine();
                log.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the log of " + name + " to " + logFile(), e);
            }
            Instant launchedAt = Instant.now();
            Process process;
            try {
                process = builder.start();
                // children never read input; an immediate end of input keeps any that try from blocking
                process.getOutputStream().close();
            } catch (IOException e) {
                closeQuietly(log);
                throw new UncheckedIOException("cannot launch " + name + ": " + command, e);
            }
            Spec spec = new Spec(name, logFile(), readyLine, startupTimeout);
            return new ChildJvm(spec, process, log, launchedAt).follow();
        }

        private static void closeQuietly(BufferedWriter log) {
            try {
                log.close();
            } catch (IOException e) {
                // the launch failure is what matters
            }
        }
    }
}
