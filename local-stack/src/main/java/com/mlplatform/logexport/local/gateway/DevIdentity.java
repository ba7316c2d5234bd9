package com.mlplatform.logexport.local.gateway;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who the caller is, in local mode only: the deployed API gets identity from API Gateway's JWT authorizer
 * ({@code requestContext.authorizer.jwt.claims}); locally there is no identity provider, so the gateway takes the
 * user id from a dev header ({@code X-Dev-User: alice}) or a dev bearer value ({@code Authorization: Bearer
 * dev:alice}) and turns it into the claims the authorizer would have produced. Nothing in the Lambda code reads
 * these headers; the gateway removes the dev header before the event is built.
 */
public final class DevIdentity {

    public static final String HEADER = "x-dev-user";
    public static final String BEARER_PREFIX = "dev:";
    public static final String ISSUER = "https://local.dev-identity.invalid/";

    // Same alphabet as a Cognito/OIDC subject in practice; anything else is rejected as "no identity".
    private static final Pattern USER_ID = Pattern.compile("[\\p{L}\\p{N}._@+=-]{1,128}");

    private final String claimName;

    /** @param claimName the claim the request API reads the user id from ({@code sub} unless configured) */
    public DevIdentity(String claimName) {
        this.claimName = claimName;
    }

    /** The user id from lower-cased request headers, if one is present and well-formed. */
    public Optional<String> userId(Map<String, String> headers) {
        String dev = headers.get(HEADER);
        if (dev != null && !dev.isBlank()) {
            return valid(dev.strip());
        }
        String auth = headers.get("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.substring(7).strip();
            if (token.startsWith(BEARER_PREFIX)) {
                return valid(token.substring(BEARER_PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> valid(String id) {
        return USER_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
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
