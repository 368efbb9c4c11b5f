package io.nines.collector.admission;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ingest tokens file: one {@code token team rate} per line (rate in items per second), blank lines and
 * {@code #} comments ignored. Tokens are kept as SHA-256 digests, so neither a heap dump nor the time a
 * lookup takes says anything about a token.
 */
public final class IngestTokens {

    private static final Pattern FIELDS = Pattern.compile("\\s+");
    private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final int MIN_TOKEN_LENGTH = 16;

    private final Map<String, Tenant> byDigest;

    private IngestTokens(Map<String, Tenant> byDigest) {
        this.byDigest = Map.copyOf(byDigest);
    }

    public static IngestTokens load(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** @throws IllegalArgumentException naming {@code source} and the line of the first bad entry */
    static IngestTokens parse(List<String> lines, String source) {
        Map<String, Tenant> byDigest = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String[] fields = FIELDS.split(line);
            if (fields.length != 3) {
                throw new IllegalArgumentException(where + ": expected 'token team rate' but got " + fields.length
                        + " fields");
            }
            if (fields[0].length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(where + ": token must be at least " + MIN_TOKEN_LENGTH
                        + " characters but was " + fields[0].length());
            }
            if (!TEAM.matcher(fields[1]).matches()) {
                throw new IllegalArgumentException(where + ": team must match " + TEAM + " but was '" + fields[1] + "'");
            }
            int rate;
            try {
                rate = Integer.parseInt(fields[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": rate must be an integer but was '" + fields[2] + "'", e);
            }
            if (rate < 1) {
                throw new IllegalArgumentException(where + ": rate must be positive but was " + rate);
            }
            if (byDigest.putIfAbsent(digest(fields[0]), new Tenant(fields[1], rate)) != null) {
                throw new IllegalArgumentException(where + ": token listed twice");
            }
        }
        if (byDigest.isEmpty()) {
            throw new IllegalArgumentException(source + " lists no tokens");
        }
        return new IngestTokens(byDigest);
    }

    public Optional<Tenant> find(String token) {
        return token == null || token.isEmpty() ? Optional.empty() : Optional.ofNullable(byDigest.get(digest(token)));
    }

    public int size() {
        return byDigest.size();
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
