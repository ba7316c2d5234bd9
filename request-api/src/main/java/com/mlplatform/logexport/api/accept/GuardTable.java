package com.mlplatform.logexport.api.accept;

import java.util.List;
import java.util.Optional;

/**
 * Where in-flight guards are stored: conditional writes on one key, and all-or-nothing writes of many. The
 * exports table in production ({@code exportstable.DynamoGuardTable}), a map in tests. {@link InflightGuards}
 * decides; this only stores.
 *
 * <p>A call that fails, or whose outcome is unknown, throws {@link software.amazon.awssdk.core.exception.SdkException}.
 */
public interface GuardTable {

    /** Most guards one {@link #putAllIfFree} takes (DynamoDB's limit of actions per TransactWriteItems). */
    int MAX_TRANSACTION = 100;

    /** Writes every guard whose key is free, or none of them: one all-or-nothing call. */
    Transaction putAllIfFree(List<Guard> guards);

    /**
     * Writes {@code guard} if its key is free ({@code expectedOwner} null) or the stored guard still names
     * {@code expectedOwner}.
     */
    Write put(Guard guard, String expectedOwner);

    /** Deletes the guard of {@code dedupeKey} if it still names {@code owner}; otherwise does nothing. */
    void deleteIfOwner(String dedupeKey, String owner);

    /** Outcome of {@link #put}. */
    sealed interface Write {
    }

    record Written() implements Write {
    }

    /** The condition failed; {@code current} is the guard as it stands, empty when there is none (any more). */
    record Refused(Optional<Guard> current) implements Write {
    }

    /** Outcome of {@link #putAllIfFree}. */
    sealed interface Transaction {
    }

    /** Every guard was written. */
    record Committed() implements Transaction {
    }

    /** Nothing was written; one reason per guard, in order (an empty list when the store gave none). */
    record Cancelled(List<Reason> reasons) implements Transaction {
        public Cancelled {
            reasons = List.copyOf(reasons);
        }
    }

    /** Why one guard of a cancelled transaction was not written. */
    enum Kind {
        /** Its key is held: {@code holder} is the guard there, when the store returned it. */
        HELD,
        /** Its own write was fine; the transaction failed because of another guard. */
        COLLATERAL,
        /** A conflicting transaction or throttling: worth sending again after a pause. */
        RETRY_LATER,
        /** Anything else: do not send again. */
        REFUSED
    }

    /** @param code the store's own word for it, for the log */
    record Reason(Kind kind, Optional<Guard> holder, String code) {
    }
}
