package io.nines.streaming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the newest completed checkpoint under a local checkpoint directory, so a restarted process resumes
 * its window state and Kafka offsets instead of starting over. Flink lays checkpoints out as
 * {@code <dir>/<job id>/chk-<n>/_metadata}, and {@code _metadata} is written last.
 */
final class RetainedCheckpoints {

    private RetainedCheckpoints() {
    }

    /** Empty when nothing was retained, or when the directory is not local (a cluster restores by itself). */
    static Optional<Path> latest(URI checkpointDir) {
        if (!"file".equals(checkpointDir.getScheme())) {
            return Optional.empty();
        }
        Path root = Path.of(checkpointDir);
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(root)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(RetainedCheckpoints::completed)
                    .max(Comparator.comparing(RetainedCheckpoints::modified))
                    .map(Path::getParent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + root, e);
        }
    }

    private static Stream<Path> completed(Path jobDir) {
        try (Stream<Path> checkpoints = Files.list(jobDir)) {
            return checkpoints
                    .filter(dir -> dir.getFileName().toString().startsWith("chk-"))
                    .map(dir -> dir.resolve("_metadata"))
                    .filter(Files::isRegularFile)
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + jobDir, e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
