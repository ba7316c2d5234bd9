package com.mlplatform.logexport.api.idempotency;

import com.mlplatform.logexport.api.accept.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The {@code Idempotency-Key} header: the same caller with the same key within {@link #WINDOW} gets the first
 * answer again and nothing new is queued. The record of (caller, key) is claimed before any work, so of two
 * concurrent requests exactly one does the work; the other sees the claim and is told to retry, then gets the
 * stored answer.
 */
public final class IdempotencyStore {

    public static final Duration WINDOW = Duration.ofHours(24);
    /**
     * A claim still PENDING after this long belongs to an invocation that died (API Gateway gives up after 30 s);
     * a new request with the key may take it over.
     *
     * @see <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html">HTTP API quotas (integration timeout)</a>
     */
    static final Duration LEASE = Duration.ofSeconds(60);

    /** What to do with a request that carries a key. */
    public sealed interface Begin {
    }

    /** First use of the key: do the work, then {@link #complete} or {@link #abandon} with this ticket. */
    public record Fresh(IdempotencyRecords.Ticket ticket) implements Begin {
    }

    /** The key's first request finished: answer with what it answered. */
    public record Replay(int status, String body, String location) implements Begin {
    }

    /** The key's first request is still running. */
    public record InProgress() implements Begin {
    }

    /** The key was used for a different request. */
    public record Mismatch() implements Begin {
    }

    private final IdempotencyRecords records;

    public IdempotencyStore(IdempotencyRecords records) {
        this.records = records;
    }

    /**
     * @param fingerprint identifies the request's meaning (route, use case, trainings, options), so a reused key
     *                    with a different request is told apart from a replay
     */
    public Begin begin(String userId, String key, String fingerprint, Instant now) {
        // Hashed, so neither user ids nor keys appear as table keys.
        var ticket = new IdempotencyRecords.Ticket(Sha256.hex(userId + "\n" + key), UUID.randomUUID().toString());
        IdempotencyRecords.Claim claim = records.claim(ticket, fingerprint, now, now.plus(LEASE), now.plus(WINDOW));
        if (claim instanceof IdempotencyRecords.Held held) {
            if (held.current().isEmpty()) {
                return new InProgress();
            }
            IdempotencyRecords.Stored old = held.current().get();
            if (!fingerprint.equals(old.fingerprint())) {
                return new Mismatch();
            }
            return old.done() ? new Replay(old.status(), old.body(), old.location()) : new InProgress();
        }
        return new Fresh(ticket);
    }

    /**
     * Stores the answer for replays. An answer too large to store frees the key instead: a retry with it does the
     * work again, where in-flight dedupe hands back the exports this one started.
     */
    public void complete(IdempotencyRecords.Ticket ticket, int status, String body, String location) {
        if (!records.complete(ticket, status, body, location)) {
            records.abandon(ticket);
        }
    }

    /** Frees the key after a request that did not succeed, so the client can retry with the same key. */
    public void abandon(IdempotencyRecords.Ticket ticket) {
        records.abandon(ticket);
    }
}
