package io.nines.collector.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A JVM started the way the launcher starts a deployable, ready once it prints its ready line. */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static ChildProcess start(String name, Path module, String mainClass, List<String> jvmOptions, List<String> args,
            String readyLine, Duration timeout) throws IOException {
        String classpath = module.resolve("target/classes") + ":" + module.resolve("target/lib") + "/*";
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Path log = Files.createTempFile("bench-" + name, ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
                    if (line.contains(readyLine)) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.complete(false);
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
        try {
            if (!ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(name + " exited before it was ready; see " + log);
            }
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException(name + " did not start: " + e.getMessage() + "; see " + log, e);
        }
        return new ChildProcess(name, process);
    }

    /** CPU time the process used so far, all threads. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("no CPU time for " + name));
    }

    /** Resident set size in bytes, from {@code /proc}. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
