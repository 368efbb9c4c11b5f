package io.nines.query.slo;

import io.nines.core.slo.InvalidSloException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Loads the OpenSLO files of a directory at startup ({@code --slos=DIR}): every {@code *.yaml}, {@code *.yml}
 * and {@code *.json} file, creating SLOs that are missing and replacing those whose document differs. All
 * files are read and checked before anything is written, so one broken file changes nothing and fails the
 * start naming the file and its violations.
 *
 * <p>An SLO's {@code indicatorRef} may name an SLI of any file of the directory, as teams keep SLIs in files of
 * their own: a first pass collects every file's SLI documents, and each file is then read with the SLIs it
 * refers to from other files appended after its own documents. An SLI name may be defined in one file only.
 *
 * <p>Files add and update SLOs; a deleted file deletes nothing, unless {@code --slos-prune}: then an SLO whose
 * current version this loader wrote (changed by {@code system:slos-directory}) and whose name no file holds any
 * more is deleted, at that version only (If-Match), so an SLO created or edited through the API is never pruned,
 * nor one edited while the load runs. A directory without any SLO prunes nothing: an empty or wrongly mounted
 * directory must not delete every SLO.
 */
public final class SloDirectory {

    /** What loading changed. */
    public record Loaded(int files, int created, int updated, int unchanged, int pruned) {}

    private static final Actor LOADER = Actor.system("slos-directory");

    private SloDirectory() {}

    /** @throws IllegalStateException naming the file when a file cannot be read or holds invalid SLOs */
    public static Loaded load(Path directory, SloService slos) {
        return load(directory, slos, false);
    }

    /**
     * @param prune also delete the SLOs this loader created from files that are gone
     * @throws IllegalStateException naming the file when a file cannot be read or holds invalid SLOs
     */
    public static Loaded load(Path directory, SloService slos, boolean prune) {
        List<SloDocuments.SloDocument> documents = new ArrayList<>();
        Map<String, Path> origins = new HashMap<>();
        List<Path> files = files(directory);
        Map<Path, SloDocuments.Contents> contents = new LinkedHashMap<>();
        Map<String, Path> indicatorFiles = new HashMap<>();
        for (Path file : files) {
            SloDocuments.Contents content = slos.contents(text(file));
            contents.put(file, content);
            for (String indicator : content.indicators().keySet()) {
                Path earlier = indicatorFiles.put(indicator, file);
                if (earlier != null) {
                    throw new IllegalStateException("SLI '" + indicator + "' is defined in both " + earlier + " and "
                            + file);
                }
            }
        }
        for (Path file : files) {
            SloDocuments.Contents content = contents.get(file);
            if (!content.holdsSlo() && !content.indicators().isEmpty()) {
                continue; // SLIs only: read where an SLO refers to them
            }
            StringBuilder text = new StringBuilder(content.text());
            List<String> appended = new ArrayList<>();
            for (String ref : new TreeSet<>(content.references())) {
                Path origin = indicatorFiles.get(ref);
                if (origin != null && !origin.equals(file)) {
                    text.append("\n---\n").append(contents.get(origin).indicators().get(ref));
                    appended.add("documents[" + (content.documents() + appended.size()) + "] is SLI '" + ref
                            + "' of " + origin);
                }
            }
            List<SloDocuments.SloDocument> read;
            try {
                read = slos.read(text.toString());
            } catch (InvalidSloException e) {
                String message = e.getMessage().replace("' in this request", "' in any file of " + directory);
                throw new IllegalStateException("SLO file " + file + " is invalid: " + message
                        + (appended.isEmpty() ? "" : " (" + String.join("; ", appended) + ")"), e);
            }
            for (SloDocuments.SloDocument document : read) {
                Path earlier = origins.put(document.definition().name(), file);
                if (earlier != null) {
                    throw new IllegalStateException("SLO '" + document.definition().name() + "' is defined in both "
                            + earlier + " and " + file);
                }
                documents.add(document);
            }
        }
        int created = 0;
        int updated = 0;
        for (SloDocuments.SloDocument document : documents) {
            Optional<SloService.Written> written = slos.applyIfChanged(LOADER, document);
            if (written.isPresent()) {
                if (written.get().created()) {
                    created++;
                } else {
                    updated++;
                }
            }
        }
        int pruned = prune && !documents.isEmpty() ? prune(slos, origins.keySet()) : 0;
        return new Loaded(files.size(), created, updated, documents.size() - created - updated, pruned);
    }

    private static int prune(SloService slos, Set<String> kept) {
        int pruned = 0;
        for (SloVersion current : slos.currentVersions()) {
            if (kept.contains(current.name()) || !current.changedBy().equals(LOADER.name())) {
                continue;
            }
            try {
                slos.delete(LOADER, current.name(), Optional.of(new IfMatch(false, Set.of(current.version()))));
                pruned++;
            } catch (PreconditionFailedException | UnknownSloException e) {
                // Changed or deleted through the API meanwhile: the API's change stands.
            }
        }
        return pruned;
    }

    private static List<Path> files(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("--slos must name a directory of OpenSLO files, was " + directory);
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().matches(".*\\.(yaml|yml|json)"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list SLO directory " + directory, e);
        }
    }

    private static String text(Path file) {
        try {
            if (Files.size(file) > 4L * io.nines.core.slo.OpenSloReader.MAX_CHARS) {
                throw new IllegalStateException("SLO file " + file + " is larger than the 1 MiB a document may hold");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("SLO file " + file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read SLO file " + file + ": " + e.getMessage(), e);
        }
    }
}
