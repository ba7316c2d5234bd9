package com.mlplatform.logexport.local.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who the caller is, in local mode only: the deployed API gets identity from API Gateway's JWT authorizer
 * ({@code requestContext.authorizer.jwt.claims}); locally there is no identity provider, so the gateway takes the
 * user id from a dev header ({@code X-Dev-User: alice}) or a dev bearer value ({@code Authorization: Bearer
 * dev:alice}) and turns it into the claims the authorizer would have produced. Nothing in the Lambda code reads
 * these headers; the gateway removes the dev header before the event is built.
 *
 * <p>Any id a JWT claim can hold is accepted, so that a developer can reproduce what a real user id does (unicode,
 * spaces, {@code /}, a 1,000-character email): the value is UTF-8, sent raw or percent-encoded ({@code %XX}, as
 * JavaScript's {@code encodeURIComponent} does; a browser's {@code fetch} allows only Latin-1 in headers, so the page
 * always encodes). A {@code %} followed by two hex digits is always decoded, so a literal {@code %} is sent as
 * {@code %25}, and leading or trailing spaces, which HTTP trims, as {@code %20}. A blank id, bytes that are not
 * UTF-8, or an id over {@link #MAX_LENGTH} characters is no identity (401), as a blank claim is for the request API.
 */
public final class DevIdentity {

    public static final String HEADER = "x-dev-user";
    public static final String BEARER_PREFIX = "dev:";
    public static final String ISSUER = "https://local.dev-identity.invalid/";
    /** Far beyond any real subject or email claim; only here so that a runaway header is refused, not stored. */
    public static final int MAX_LENGTH = 4096;

    private final String claimName;

    /** @param claimName the claim the request API reads the user id from ({@code sub} unless configured) */
    public DevIdentity(String claimName) {
        this.claimName = claimName;
    }

    /**
     * The user id from lower-cased request headers, if one is present and well-formed. Header values are as the JDK's
     * HTTP server gives them: each byte as one ISO-8859-1 character.
     */
    public Optional<String> userId(Map<String, String> headers) {
        String dev = headers.get(HEADER);
        if (dev != null && !dev.isBlank()) {
            return decode(dev.strip());
        }
        String auth = headers.get("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.substring(7).strip();
            if (token.startsWith(BEARER_PREFIX)) {
                return decode(token.substring(BEARER_PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    /** Percent-decodes the header's bytes, then reads them as UTF-8; empty when that is no usable id. */
    static Optional<String> decode(String header) {
        // Characters above U+00FF cannot come from the wire; a caller that already has text gets it read as UTF-8.
        boolean fromWire = header.chars().allMatch(c -> c <= 0xFF);
        byte[] raw = header.getBytes(fromWire ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
                out.write(HexFormat.fromHexDigits(new String(raw, i + 1, 2, StandardCharsets.US_ASCII)));
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        String id;
        try {
            id = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        return id.isBlank() || id.length() > MAX_LENGTH ? Optional.empty() : Optional.of(id);
    }

    /** The id for one console line: a long one is shown by its first characters and its length. */
    static String forConsole(String userId) {
        int shown = 60;
        return userId.codePointCount(0, userId.length()) <= shown ? userId
                : userId.substring(0, userId.offsetByCodePoints(0, shown)) + "… (" + userId.length() + " chars)";
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }

    /** The claims a JWT authorizer would pass for this user; API Gateway gives every claim as a string. */
    public Map<String, String> claims(String userId, Instant now) {
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("sub", userId);
        claims.put(claimName, userId);
        claims.put("iss", ISSUER);
        claims.put("aud", "log-export-local");
        claims.put("token_use", "access");
        claims.put("iat", Long.toString(now.getEpochSecond()));
        claims.put("exp", Long.toString(now.getEpochSecond() + 3600));
        return claims;
    }
}
