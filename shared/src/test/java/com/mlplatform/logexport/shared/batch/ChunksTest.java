package com.mlplatform.logexport.shared.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChunksTest {

    @Property
    void of_keepsOrder_andNoChunkExceedsTheSize(@ForAll @Size(max = 300) List<Integer> all,
                                               @ForAll @IntRange(min = 1, max = 120) int size) {
        List<List<Integer>> chunks = Chunks.of(all, size);
        assertThat(chunks).allSatisfy(c -> assertThat(c).isNotEmpty().hasSizeLessThanOrEqualTo(size));
        assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(all);
    }

    @Test
    void inParallel_returnsResultsInInputOrder() {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Integer> in = IntStream.range(0, 250).boxed().toList();
            List<Integer> sums = Chunks.inParallel(pool, in, 25, c -> c.stream().mapToInt(i -> i).sum());
            assertThat(sums).hasSize(10).first().isEqualTo(IntStream.range(0, 25).sum());
            assertThat(sums.stream().mapToInt(i -> i).sum()).isEqualTo(IntStream.range(0, 250).sum());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void inParallel_rethrowsTheCallsOwnException() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertThatThrownBy(() -> Chunks.inParallel(pool, List.of(1, 2, 3), i -> {
                if (i == 2) {
                    throw new IllegalStateException("two");
                }
                return i;
            })).isInstanceOf(IllegalStateException.class).hasMessage("two");
        } finally {
            pool.shutdownNow();
        }
    }
}
