package io.nines.query.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The bootstrap admin token of {@code --admin-token-file}: the token in the file is registered as an admin token;
 * without a file a new one is made and written there, readable by its owner only.
 */
public final class AdminTokenFile {

    /** What startup did, for the one line it prints. */
    public record Outcome(String tokenId, boolean created) {}

    private AdminTokenFile() {}

    public static Outcome apply(Path file, TokenService tokens) {
        try {
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                return new Outcome(tokens.register(text, "admin-token-file", "admin", Role.ADMIN), false);
            }
            TokenService.Created created = tokens.createAdmin("admin-token-file");
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // Created with mode 600 rather than chmod-ed after, so the secret is never readable by others.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, created.secret() + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return new Outcome(created.token().id(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("admin token file " + file + " could not be used: " + e.getMessage(), e);
        }
    }
}
