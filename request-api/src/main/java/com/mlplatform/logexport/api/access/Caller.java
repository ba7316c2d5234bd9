package com.mlplatform.logexport.api.access;

import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.shared.error.ErrorCode;
import java.util.Map;
import java.util.Objects;

/** The signed-in user, as the API Gateway JWT authorizer vouched for them. */
public record Caller(String userId) {

    public Caller {
        Objects.requireNonNull(userId, "userId");
    }

    /**
     * The caller from the authorizer's claims, and from nowhere else: a body, query or header is whatever the client
     * wants it to be, while the claims were checked by API Gateway against the identity provider.
     */
    public static Caller fromClaims(Map<String, String> claims, String claim) {
        String id = claims.get(claim);
        if (id == null || id.isBlank()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED);
        }
        return new Caller(id);
    }
}
