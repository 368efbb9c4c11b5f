package io.nines.query;

import io.nines.infra.testing.EmbeddedClickHouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A slow ClickHouse, made real: the harness's server process is stopped with SIGSTOP, so connections are accepted
 * by the kernel but nothing answers, as with a server stuck in a long GC or on a saturated disk; {@link #close()}
 * lets it go on with SIGCONT. Its work is then where it was, so nothing needs restarting.
 */
final class FrozenClickHouse implements AutoCloseable {

    private static final String SERVER_MAIN = "io.nines.infra.clickhouse.ClickHouseServerMain";

    private final long pid;

    private FrozenClickHouse(long pid) {
        this.pid = pid;
        signal("STOP");
    }

    /** Freezes the server of {@code clickHouse}, a child process of this JVM. */
    static FrozenClickHouse freeze(EmbeddedClickHouse clickHouse) {
        String port = "--port=" + clickHouse.port();
        List<ProcessHandle> servers = ProcessHandle.current().descendants()
                .filter(process -> process.info().commandLine()
                        .map(line -> line.contains(SERVER_MAIN) && line.contains(port)).orElse(false))
                .toList();
        if (servers.size() != 1) {
            throw new IllegalStateException("expected one ClickHouse server process on " + port + ", found "
                    + servers.size());
        }
        return new FrozenClickHouse(servers.get(0).pid());
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling ClickHouse", e);
        }
    }

    @Override
    public void close() {
        signal("CONT");
    }
}
