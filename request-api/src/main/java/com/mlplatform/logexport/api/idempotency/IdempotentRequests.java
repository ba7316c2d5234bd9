package com.mlplatform.logexport.api.idempotency;

import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.api.http.ApiRequest;
import com.mlplatform.logexport.api.http.ApiResponse;
import com.mlplatform.logexport.api.http.Identifiers;
import com.mlplatform.logexport.api.http.Reply;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.log.StructuredLog;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/** The {@code Idempotency-Key} header around a POST route (see {@link IdempotencyStore}). */
public final class IdempotentRequests {

    private static final StructuredLog LOG = new StructuredLog("request-api");

    private final IdempotencyStore store;
    private final Clock clock;

    public IdempotentRequests(IdempotencyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Runs {@code work} at most once per (caller, Idempotency-Key) within 24 h; a replay gets the first answer.
     * Only a 2xx answer is kept: after an error the key is freed so the client can simply retry.
     */
    public ApiResponse run(Caller caller, ApiRequest request, String fingerprint, Supplier<Reply> work) {
        Optional<String> header = request.header("idempotency-key");
        if (header.isEmpty()) {
            return work.get().toResponse();
        }
        String key = Identifiers.idempotencyKey(header.get());
        IdempotencyStore.Begin begin = store.begin(caller.userId(), key, fingerprint, clock.instant());
        if (begin instanceof IdempotencyStore.Replay replay) {
            ApiResponse r = ApiResponse.json(replay.status(), replay.body()).withHeader("Idempotent-Replayed", "true");
            return replay.location() == null ? r : r.withHeader("Location", replay.location());
        }
        if (begin instanceof IdempotencyStore.InProgress) {
            throw new ApiException(ErrorCode.CONFLICT, "A request with this Idempotency-Key is still being"
                    + " processed. Retry in a moment to get its result.", Map.of("Retry-After", "1"));
        }
        if (begin instanceof IdempotencyStore.Mismatch) {
            throw ApiException.invalid("This Idempotency-Key was already used for a different request in the last"
                    + " 24 hours. Use a new key for a new request.");
        }
        IdempotencyRecords.Ticket ticket = ((IdempotencyStore.Fresh) begin).ticket();
        ApiResponse response;
        try {
            response = work.get().toResponse();
        } catch (RuntimeException e) {
            abandonQuietly(ticket);
            throw e;
        }
        if (response.status() / 100 == 2) {
            completeQuietly(ticket, response);
        } else {
            abandonQuietly(ticket);
        }
        return response;
    }

    /**
     * The work is done, so its answer goes back whatever happens to the record: a 5xx now would tell the client
     * to retry what succeeded. A record that cannot be stored is freed, so a retry is not told 409 for a minute.
     */
    private void completeQuietly(IdempotencyRecords.Ticket ticket, ApiResponse response) {
        try {
            store.complete(ticket, response.status(), response.body(), response.headers().get("Location"));
        } catch (SdkException e) {
            LOG.warn("idempotency_complete_failed", "exception", e.getClass().getSimpleName());
            abandonQuietly(ticket);
        }
    }

    private void abandonQuietly(IdempotencyRecords.Ticket ticket) {
        try {
            store.abandon(ticket);
        } catch (SdkException e) {
            // The claim stays PENDING until its 60 s lease runs out; the original error matters more.
            LOG.warn("idempotency_abandon_failed", "exception", e.getClass().getSimpleName());
        }
    }
}
