package io.nines.infra.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Data directories of embedded servers: under target/, so {@code mvn clean} removes what a crash leaves. */
final class TempDirs {

    private TempDirs() {
    }

    static Path create(String prefix) {
        try {
            Path parent = Files.createDirectories(Path.of("target", "embedded-data"));
            return Files.createTempDirectory(parent, prefix + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory under target/embedded-data", e);
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
