package com.mlplatform.logexport.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class BatchOutcomeProperties {

    @Provide
    Arbitrary<List<String>> batches() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12)
                .list().ofMinSize(1).ofMaxSize(10).uniqueElements();
    }

    @Property
    void reportedFailures_shouldStay_andEveryOtherMessageBeDeleted(@ForAll("batches") List<String> ids,
                                                                    @ForAll long pickSeed) {
        List<String> failed = ids.stream().filter(id -> ((id.hashCode() ^ pickSeed) & 1) == 0).toList();
        var response = new SQSBatchResponse(failed.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());

        BatchOutcome outcome = BatchOutcome.of(ids, response);

        if (failed.isEmpty()) {
            assertThat(outcome.delete()).containsExactlyInAnyOrderElementsOf(ids);
            return;
        }
        assertThat(outcome.retry()).containsExactlyInAnyOrderElementsOf(failed);
        Set<String> union = new HashSet<>(outcome.delete());
        union.addAll(outcome.retry());
        assertThat(union).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(outcome.delete()).doesNotContainAnyElementsOf(outcome.retry());
    }

    @Property
    void aFailureNotInTheBatch_shouldFailTheWholeBatch(@ForAll("batches") List<String> ids) {
        var response = new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("not-" + ids.get(0)
                + "-" + ids.size())));

        BatchOutcome outcome = BatchOutcome.of(ids, response);

        assertThat(outcome.delete()).isEmpty();
        assertThat(outcome.retry()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Example
    void nullOrEmptyResponse_shouldDeleteEverything() {
        assertThat(BatchOutcome.of(List.of("a", "b"), null).delete()).containsExactly("a", "b");
        assertThat(BatchOutcome.of(List.of("a"), new SQSBatchResponse()).delete()).containsExactly("a");
        assertThat(BatchOutcome.of(List.of("a"), new SQSBatchResponse(List.of())).retry()).isEmpty();
    }

    @Example
    void anEmptyOrNullItemIdentifier_shouldFailTheWholeBatch() {
        var empty = new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("")));
        var missing = new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure(null)));

        assertThat(BatchOutcome.of(List.of("a", "b"), empty).retry()).containsExactly("a", "b");
        assertThat(BatchOutcome.of(List.of("a", "b"), missing).delete()).isEmpty();
    }
}
