package com.mlplatform.logexport.shared.session;

import com.mlplatform.logexport.shared.hash.Base32;
import com.mlplatform.logexport.shared.hash.Sha256;
import java.text.Normalizer;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * STS role session names of the form {@code {operation}-{short_user_id}-{timestamp}} (the seed design's Session Name
 * Generator).
 *
 * <p>AWS accepts 2–64 characters of {@code [\w+=,.@-]} (ASCII word characters)
 * (<a href="https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html">AssumeRole, RoleSessionName</a>).
 * User ids are anything a sign-in system hands us: 1,000-character emails, unicode, emoji, spaces, slashes, empty.
 *
 * <ul>
 *   <li><b>short_user_id</b>: the user id itself when it is already made of allowed characters, has no upper-case
 *   letters and fits. Otherwise a readable lower-case prefix (accents folded, other characters replaced by
 *   {@code _}) followed by {@code =} and a 12-character lower-case hash of the <em>full</em>, case-sensitive id
 *   (SHA-256, 60 bits), so two ids that shorten to the same prefix still differ. A clean id that happens to end like
 *   a hashed one ({@code =} + 12 hash characters) is hashed too, so a verbatim id can never imitate someone else's
 *   shortened one.</li>
 *   <li><b>timestamp</b>: epoch milliseconds in lower-case base 36, without padding: 8 characters until 2059
 *   (ISO-8601 basic needs 16, decimal milliseconds 13). Milliseconds keep two sessions of one user a second apart
 *   distinct; base 36 rather than base 62 because IAM treats names case-insensitively in places, and lower-case base
 *   36 survives that. The encoding is injective and has no leading zeros, which is as short as a unique encoding of
 *   a millisecond in this alphabet can be.</li>
 * </ul>
 *
 * <p>For the same reason a generated name has no upper-case letters: operation codes, verbatim ids, prefixes, hashes
 * and timestamps are all lower-case. So {@code Alice} and {@code alice} do not give names that differ only in case
 * ({@code alice} is kept verbatim, {@code Alice} becomes {@code alice=<hash of "Alice">}), and distinct user ids give
 * names that stay distinct under case-insensitive comparison (up to the 60-bit hash).
 *
 * <p>The full user id is never lost: it is kept in the job record and, where AWS's rules allow, sent as the
 * session's {@code SourceIdentity}.
 */
public final class SessionNameGenerator {

    public static final int MIN_LENGTH = 2;
    public static final int MAX_LENGTH = 64;
    /** AWS's pattern; Java's {@code \w} is ASCII-only by default, as AWS's is. */
    public static final Pattern VALID = Pattern.compile("[\\w+=,.@-]{" + MIN_LENGTH + "," + MAX_LENGTH + "}");

    static final int HASH_LENGTH = 12;
    static final char HASH_MARK = '=';
    /** Allowed characters without upper-case letters: only such ids are kept verbatim. */
    private static final Pattern CLEAN_LOWER = Pattern.compile("[a-z0-9_+=,.@-]+");
    private static final Pattern LOOKS_HASHED = Pattern.compile(".*=" + Base32.CHARACTER_CLASS + "{" + HASH_LENGTH
            + "}");
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9_+,.@-]+");

    private SessionNameGenerator() {
    }

    /** A valid session name for {@code userId} doing {@code operation} at {@code timestamp}. */
    public static SessionName generate(String userId, Operation operation, Instant timestamp) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(operation, "operation");
        String time = encodeTimestamp(timestamp);
        int budget = MAX_LENGTH - operation.code().length() - 2 - time.length();
        return new SessionName(operation.code() + "-" + shortUserId(userId, budget) + "-" + time);
    }

    /** Whether STS would accept {@code name} as a RoleSessionName. */
    public static boolean validate(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** Why {@code name} is not valid, in words; for error messages. */
    static String explain(String name) {
        if (name == null) {
            return "session name is missing";
        }
        if (name.length() < MIN_LENGTH || name.length() > MAX_LENGTH) {
            return "session name must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters, was " + name.length();
        }
        return "session name may only contain letters, digits and + = , . @ _ -";
    }

    /**
     * Epoch milliseconds in base 36, no padding. Timestamps before 1970 are refused: they cannot come from a clock
     * that is running now.
     */
    public static String encodeTimestamp(Instant timestamp) {
        Objects.requireNonNull(timestamp, "timestamp");
        long millis = timestamp.toEpochMilli();
        if (millis < 0) {
            throw new IllegalArgumentException("timestamp before 1970: " + timestamp);
        }
        return Long.toString(millis, 36);
    }

    /** The inverse of {@link #encodeTimestamp}. */
    public static Instant decodeTimestamp(String encoded) {
        return Instant.ofEpochMilli(Long.parseLong(encoded, 36));
    }

    static String shortUserId(String userId, int budget) {
        if (!userId.isEmpty() && userId.length() <= budget && CLEAN_LOWER.matcher(userId).matches()
                && !LOOKS_HASHED.matcher(userId).matches()) {
            return userId;
        }
        String hash = hash(userId);
        String prefix = readablePrefix(userId, budget - HASH_LENGTH - 1);
        return prefix + HASH_MARK + hash;
    }

    private static String readablePrefix(String userId, int max) {
        String folded = COMBINING_MARKS.matcher(Normalizer.normalize(userId, Normalizer.Form.NFKD)).replaceAll("");
        String replaced = NOT_ALLOWED.matcher(folded).replaceAll("_");
        String lower = replaced.toLowerCase(Locale.ROOT);
        String prefix = lower.length() > max ? lower.substring(0, max) : lower;
        return prefix.isEmpty() ? "u" : prefix;
    }

    /**
     * 60 bits of SHA-256 of the full id in base 32: 12 characters, collision odds ~1e-7 among a million users. The
     * id is hashed as its UTF-16 code units, not UTF-8: encoding to UTF-8 would turn every unpaired surrogate into
     * the same '?' and make distinct ids collide.
     */
    static String hash(String userId) {
        byte[] units = new byte[userId.length() * 2];
        for (int i = 0; i < userId.length(); i++) {
            units[2 * i] = (byte) (userId.charAt(i) >> 8);
            units[2 * i + 1] = (byte) userId.charAt(i);
        }
        byte[] digest = Sha256.digest(units);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xff);
        }
        return Base32.encode(bits, HASH_LENGTH);
    }
}
