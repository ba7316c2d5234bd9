package com.mlplatform.logexport.shared.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

/** Seed properties 1, 4, 5 and 6 for the Session Name Generator. jqwik's default of 1,000 tries each. */
class SessionNameProperties {

    private static final Instant NOW = Instant.parse("2025-06-01T12:34:56.789Z");

    // ---- Property 1: any user id gives a name STS accepts --------------------------------------------------------

    @Property
    void property1_anyUserId_givesAValidName(@ForAll("userIds") String userId, @ForAll Operation operation,
                                             @ForAll("timestamps") Instant timestamp) {
        String name = SessionNameGenerator.generate(userId, operation, timestamp).value();

        assertThat(name.length()).as("length of %s", name).isBetween(2, 64);
        assertThat(name).as("only AWS's alphabet [\\w+=,.@-]").matches("[A-Za-z0-9_+=,.@-]+");
        assertThat(name).startsWith(operation.code() + "-");
        assertThat(name).endsWith("-" + SessionNameGenerator.encodeTimestamp(timestamp));
        assertThat(name).as("no upper-case letters, so case-insensitive comparison loses nothing")
                .isEqualTo(name.toLowerCase(Locale.ROOT));
    }

    @Example
    void property1_edgeCases() {
        for (String userId : List.of("", "a", "🦄", "x".repeat(1000) + "@example.com", "a b/c\\d\"e\n",
                "名前@例え.jp", "-", "=", "aws:admin", "\u0000\u202e")) {
            String name = SessionNameGenerator.generate(userId, Operation.TRAINING_STATUS, NOW).value();
            assertThat(SessionNameGenerator.validate(name)).as("name for %s: %s", userId, name).isTrue();
        }
    }

    @Example
    void cleanShortUserIds_areKeptVerbatim_forReadableAuditTrails() {
        assertThat(SessionNameGenerator.generate("alice@example.com", Operation.LOGS_DOWNLOAD, NOW).value())
                .isEqualTo("logs-alice@example.com-" + Long.toString(NOW.toEpochMilli(), 36));
    }

    // ---- Property 4: distinct user ids give distinct names, even when shortened ----------------------------------

    @Property
    void property4_distinctUserIds_giveDistinctNames(@ForAll("userIds") String a, @ForAll("userIds") String b,
                                                     @ForAll Operation operation) {
        Assume.that(!a.equals(b));
        assertThat(SessionNameGenerator.generate(a, operation, NOW))
                .isNotEqualTo(SessionNameGenerator.generate(b, operation, NOW));
    }

    @Property
    void property4_idsThatShortenAlike_stillGiveDistinctNames(@ForAll("collidingPrefixes") List<String> ids) {
        Set<String> names = new HashSet<>();
        for (String id : ids) {
            names.add(SessionNameGenerator.generate(id, Operation.LOGS_DOWNLOAD, NOW).value());
        }
        assertThat(names).as("one name per distinct id of %s", ids).hasSize(new HashSet<>(ids).size());
    }

    @Property
    void property4_distinctUserIds_giveNamesDistinctEvenIgnoringCase(@ForAll("userIds") String a,
                                                                     @ForAll("userIds") String b,
                                                                     @ForAll Operation operation) {
        Assume.that(!a.equals(b));
        String nameA = SessionNameGenerator.generate(a, operation, NOW).value();
        String nameB = SessionNameGenerator.generate(b, operation, NOW).value();
        assertThat(nameA.toLowerCase(Locale.ROOT)).as("%s vs %s", a, b).isNotEqualTo(nameB.toLowerCase(Locale.ROOT));
    }

    @Property
    void property4_idsDifferingOnlyInCase_giveNamesDistinctEvenIgnoringCase(
            @ForAll("caseSensitiveIds") String id, @ForAll long flips) {
        StringBuilder variant = new StringBuilder(id);
        for (int i = 0; i < variant.length(); i++) {
            char c = variant.charAt(i);
            if (((flips >>> (i % 64)) & 1) == 1) {
                variant.setCharAt(i, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
            }
        }
        Assume.that(!variant.toString().equals(id));
        String nameA = SessionNameGenerator.generate(id, Operation.LOGS_DOWNLOAD, NOW).value();
        String nameB = SessionNameGenerator.generate(variant.toString(), Operation.LOGS_DOWNLOAD, NOW).value();
        assertThat(nameA).as("%s vs %s", id, variant).isNotEqualToIgnoringCase(nameB);
    }

    @Example
    void hash_shouldNotChangeBetweenReleases() {
        // Worked out independently (Python: SHA-256 of the UTF-16BE code units, the low 60 bits of its first 8
        // bytes in lower-case Crockford base 32). Names already in CloudTrail must keep meaning the same user.
        assertThat(SessionNameGenerator.hash("Alice")).isEqualTo("ezckhbqwrhz0");
        assertThat(SessionNameGenerator.hash("ünïcødé 🚀")).isEqualTo("26bqdyax8zsp");
    }

    @Example
    void property4_aliceAndAlice_areNotOneCaseInsensitiveName() {
        String lower = SessionNameGenerator.generate("alice", Operation.LOGS_DOWNLOAD, NOW).value();
        String upper = SessionNameGenerator.generate("Alice", Operation.LOGS_DOWNLOAD, NOW).value();
        String time = SessionNameGenerator.encodeTimestamp(NOW);

        assertThat(lower).as("an all-lower-case clean id stays verbatim").isEqualTo("logs-alice-" + time);
        assertThat(upper).as("an id with upper-case letters gets the lower-cased prefix and the hash of the full id")
                .isEqualTo("logs-alice=" + SessionNameGenerator.hash("Alice") + "-" + time);
        assertThat(upper).isNotEqualToIgnoringCase(lower);
        assertThat(SessionNameGenerator.generate("ALICE", Operation.LOGS_DOWNLOAD, NOW).value())
                .isNotEqualToIgnoringCase(upper).isNotEqualToIgnoringCase(lower);
    }

    @Example
    void property4_idsDifferingOnlyInUnpairedSurrogates_giveDistinctNames() {
        // Found by jqwik: hashing UTF-8 turned both into '?' and the names collided.
        assertThat(SessionNameGenerator.generate("\uD800", Operation.LOGS_DOWNLOAD, NOW))
                .isNotEqualTo(SessionNameGenerator.generate("\uDC00", Operation.LOGS_DOWNLOAD, NOW));
    }

    @Example
    void property4_aCleanIdCannotImitateAShortenedOne() {
        String shortened = SessionNameGenerator.shortUserId("x".repeat(200), 40);
        assertThat(shortened).contains("=");
        assertThat(SessionNameGenerator.shortUserId(shortened, 40))
                .as("a user whose id is another user's shortened id gets a hashed id of its own")
                .isNotEqualTo(shortened);
    }

    // ---- Property 5: the timestamp is as compact as a unique encoding can be -------------------------------------

    @Property
    void property5_timestampEncoding_isUniqueAndMinimal(@ForAll("timestamps") Instant t) {
        String encoded = SessionNameGenerator.encodeTimestamp(t);
        long millis = t.toEpochMilli();

        assertThat(SessionNameGenerator.decodeTimestamp(encoded)).as("decodes back: unique per millisecond")
                .isEqualTo(Instant.ofEpochMilli(millis));
        assertThat(encoded).matches("[0-9a-z]+");
        // Minimal: the fewest base-36 digits that can hold this value (36^(len-1) <= millis < 36^len).
        BigInteger value = BigInteger.valueOf(millis);
        BigInteger thirtySix = BigInteger.valueOf(36);
        assertThat(value).isLessThan(thirtySix.pow(encoded.length()));
        if (encoded.length() > 1) {
            assertThat(value).isGreaterThanOrEqualTo(thirtySix.pow(encoded.length() - 1));
        }
        assertThat(encoded.length()).as("never longer than decimal milliseconds")
                .isLessThanOrEqualTo(Long.toString(millis).length());
    }

    @Property
    void property5_distinctMilliseconds_encodeDistinctly(@ForAll("timestamps") Instant a,
                                                         @ForAll("timestamps") Instant b) {
        Assume.that(a.toEpochMilli() != b.toEpochMilli());
        assertThat(SessionNameGenerator.encodeTimestamp(a)).isNotEqualTo(SessionNameGenerator.encodeTimestamp(b));
    }

    @Example
    void property5_todaysTimestamps_take8Characters() {
        assertThat(SessionNameGenerator.encodeTimestamp(NOW)).hasSize(8);
    }

    // ---- Property 6: names are validated before use --------------------------------------------------------------

    @Property
    void property6_validate_agreesWithAwsRules(@ForAll("candidateNames") String candidate) {
        boolean expected = candidate.length() >= 2 && candidate.length() <= 64
                && candidate.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || "_+=,.@-".indexOf(c) >= 0));
        assertThat(SessionNameGenerator.validate(candidate)).isEqualTo(expected);
    }

    @Property
    void property6_aSessionName_cannotBeMadeFromAnInvalidString(@ForAll("candidateNames") String candidate) {
        if (SessionNameGenerator.validate(candidate)) {
            assertThat(new SessionName(candidate).value()).isEqualTo(candidate);
        } else {
            assertThatThrownBy(() -> new SessionName(candidate)).isInstanceOf(InvalidSessionNameException.class)
                    .hasMessageContaining("session name");
        }
    }

    // ---- generators ----------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> userIds() {
        Arbitrary<String> anyChars = Arbitraries.strings().all().ofMinLength(0).ofMaxLength(1200);
        Arbitrary<String> emails = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withChars('.', '+', '-').ofMinLength(1).ofMaxLength(1000),
                Arbitraries.of("example.com", "corp.internal", "例え.jp")).as((local, domain) -> local + "@" + domain);
        Arbitrary<String> emoji = Arbitraries.strings().withCharRange('\u2600', '\u27BF').ofMinLength(0).ofMaxLength(30)
                .map(s -> s + "\uD83E\uDD84");
        Arbitrary<String> spacesAndSlashes = Arbitraries.strings().withChars(' ', '/', '\\', '\t', 'a', 'B', '1', '=')
                .ofMinLength(0).ofMaxLength(80);
        Arbitrary<String> tiny = Arbitraries.strings().all().ofMinLength(0).ofMaxLength(1);
        // A tiny alphabet with both cases, so pairs like "aB@" / "ab@" (same id ignoring case) come up often.
        Arbitrary<String> mixedCase = Arbitraries.strings().withChars('a', 'A', 'b', 'B', '.', '@', '=')
                .ofMinLength(1).ofMaxLength(5);
        return Arbitraries.oneOf(anyChars, emails, emoji, spacesAndSlashes, tiny, mixedCase);
    }

    @Provide
    Arbitrary<String> caseSensitiveIds() {
        // Clean (verbatim-eligible when lower-case), too long, and with characters the shortening replaces.
        Arbitrary<String> clean = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withChars('.', '@', '-', '_').ofMinLength(1).ofMaxLength(50);
        Arbitrary<String> longer = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .ofMinLength(40).ofMaxLength(120);
        Arbitrary<String> withSpaces = Arbitraries.strings().withCharRange('a', 'f').withCharRange('A', 'F')
                .withChars(' ', '/', 'é', 'É').ofMinLength(1).ofMaxLength(30);
        return Arbitraries.oneOf(clean, longer, withSpaces);
    }

    @Provide
    Arbitrary<List<String>> collidingPrefixes() {
        // Long ids sharing a long prefix, and ids that differ only in characters the shortening replaces.
        Arbitrary<String> prefix = Arbitraries.strings().withCharRange('a', 'z').ofLength(60);
        Arbitrary<String> suffix = Arbitraries.strings().withChars('x', ' ', '/', 'é', '\uD83E', 'e')
                .ofMinLength(0).ofMaxLength(4);
        return Combinators.combine(prefix, suffix.list().ofMinSize(2).ofMaxSize(8).uniqueElements())
                .as((p, suffixes) -> suffixes.stream().map(s -> p + s).toList());
    }

    @Provide
    Arbitrary<Instant> timestamps() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, Long.MAX_VALUE / 1_000_000).map(Instant::ofEpochMilli),
                Arbitraries.longs().between(1_600_000_000_000L, 2_000_000_000_000L).map(Instant::ofEpochMilli),
                Arbitraries.of(Instant.EPOCH, Instant.ofEpochMilli(35), Instant.ofEpochMilli(36)));
    }

    @Provide
    Arbitrary<String> candidateNames() {
        Arbitrary<String> plausible = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '=', '@', '.', '_')
                .ofMinLength(0).ofMaxLength(70);
        Arbitrary<String> hostile = Arbitraries.strings().all().ofMinLength(0).ofMaxLength(70);
        return Arbitraries.oneOf(plausible, hostile);
    }

    @Property(tries = 100)
    void generatedNames_areAlwaysAcceptedBySessionName(@ForAll("userIds") String userId,
                                                       @ForAll @Size(max = 3) @UniqueElements List<Operation> ops) {
        for (Operation op : ops) {
            SessionName name = SessionNameGenerator.generate(userId, op, NOW);
            assertThat(new SessionName(name.value())).isEqualTo(name);
        }
    }
}
