package io.nines.query.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token text: {@code nines_<id>_<secret>}, the id 16 hex digits (shown in lists and logs), the secret 256 random
 * bits. A plain SHA-256 is enough to store it: the secret has full entropy, so there is nothing to brute-force
 * that a slow hash would protect.
 */
final class TokenSecret {

    static final String PREFIX = "nines_";
    private static final Pattern FORMAT = Pattern.compile("nines_([0-9a-f]{16})_[A-Za-z0-9_-]{43}");
    /** Tokens brought from a file may have any shape, but not a guessable one. */
    static final int MIN_FOREIGN_LENGTH = 32;
    static final int MAX_LENGTH = 512;
    /** RFC 6750's b64token: what a bearer token may hold at all. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private TokenSecret() {}

    record Generated(String id, String token) {}

    static Generated generate(SecureRandom random) {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        String hexId = HexFormat.of().formatHex(id);
        return new Generated(hexId, PREFIX + hexId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The id inside a token of our format. */
    static Optional<String> idOf(String token) {
        Matcher matcher = FORMAT.matcher(token);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * Whether {@code token} could be a token at all: ours ({@code nines_<id>_<secret>}), or one brought from a file
     * (at least {@link #MIN_FOREIGN_LENGTH} b64token characters). Anything else is refused without a lookup.
     */
    static boolean plausible(String token) {
        if (token == null || token.length() < MIN_FOREIGN_LENGTH || token.length() > MAX_LENGTH) {
            return false;
        }
        return token.startsWith(PREFIX) ? FORMAT.matcher(token).matches() : B64TOKEN.matcher(token).matches();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
