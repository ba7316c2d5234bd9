package com.mlplatform.logexport.api.idempotency;

import java.time.Instant;
import java.util.Optional;

/**
 * Where Idempotency-Key records are stored ({@code exportstable.DynamoIdempotencyRecords} in production): one per
 * (caller, key), claimed atomically before any work. {@link IdempotencyStore} decides what a record means.
 */
public interface IdempotencyRecords {

    /** A record as it stands. {@code status} is 0 and {@code body} null while PENDING. */
    record Stored(String fingerprint, boolean done, int status, String body, String location) {
    }

    /** Outcome of {@link #claim}. */
    sealed interface Claim {
    }

    /** The record is ours, PENDING until {@code leaseUntil}. */
    record Claimed() implements Claim {
    }

    /**
     * One claim's identity: the record's {@code token} (caller + key) and the {@code owner} this request wrote into
     * it. The owner tells a claim of ours whose response was lost (the SDK sent the put again, and the repeat found
     * the record) from another request's, and keeps a request whose lease ran out from completing or freeing the
     * claim of the request that took the key over.
     */
    record Ticket(String token, String owner) {
    }

    /** A live record holds the key; {@code current} is empty when it could not be read back (gone meanwhile). */
    record Held(Optional<Stored> current) implements Claim {
    }

    /**
     * Writes a PENDING record for the ticket's token, owned by the ticket, unless a record holds it that has not
     * expired, is not a PENDING claim whose lease ran out before {@code now}, and is not this ticket's own claim.
     */
    Claim claim(Ticket ticket, String fingerprint, Instant now, Instant leaseUntil, Instant expiresAt);

    /**
     * Stores the answer, if the record is still this ticket's PENDING claim (else another request took it over).
     * False when the answer is too large to store even compressed; the record is then left PENDING for the caller
     * to abandon.
     */
    boolean complete(Ticket ticket, int status, String body, String location);

    /** Deletes the record, if it is still this ticket's PENDING claim. */
    void abandon(Ticket ticket);
}
