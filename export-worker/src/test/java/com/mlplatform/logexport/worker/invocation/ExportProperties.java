package com.mlplatform.logexport.worker.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.worker.format.TextLogFormat;
import com.mlplatform.logexport.worker.testing.ExportFileParser;
import com.mlplatform.logexport.worker.testing.GeneratedJob;
import com.mlplatform.logexport.worker.testing.InvocationRunner;
import com.mlplatform.logexport.worker.testing.InMemoryLogSource;
import com.mlplatform.logexport.worker.testing.InMemoryMultipartStore;
import com.mlplatform.logexport.worker.testing.JobGenerators;
import com.mlplatform.logexport.worker.testing.ManualClock;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Seed properties 2 (completeness), 7 (every stream), 8 (format) over generated training jobs, exported through the
 * real export-invocation code with a real in-memory log source (CloudWatch paging, optional empty pages mid-stream) and an
 * in-memory store with S3's part rules. Also: an export cut into many continuations is byte-identical to one run.
 */
class ExportProperties {

    // ---- Property 2: every event, exactly once; Property 8: in global time order with stable ties --------------

    @Property(tries = 200)
    void property2and8_everyEventAppearsOnce_inGlobalTimeOrder_jsonLines(@ForAll("jobs") GeneratedJob generated,
                                                                        @ForAll boolean emptyPages) {
        byte[] file = exportOnce(generated, ExportFormat.JSONL, emptyPages);
        if (file == null) {
            return;
        }
        List<ExportFileParser.Line> lines = ExportFileParser.jsonLines(file);

        forEachInExpectedOrder(generated, lines, (e, l) -> {
            assertThat(l.stream()).isEqualTo(e.stream());
            assertThat(l.timestamp()).isEqualTo(TextLogFormat.iso(Instant.ofEpochMilli(e.timestamp())));
            assertThat(l.message()).as("JSON Lines keeps the message exactly").isEqualTo(e.message());
        });
    }

    @Property(tries = 200)
    void property2and8_textFile_hasHeaderEventsAndClosingLine(@ForAll("jobs") GeneratedJob generated,
                                                              @ForAll boolean emptyPages) {
        byte[] file = exportOnce(generated, ExportFormat.TEXT, emptyPages);
        if (file == null) {
            return;
        }
        ExportFileParser.TextFile text = ExportFileParser.text(file); // throws on any line that breaks the format

        forEachInExpectedOrder(generated, text.events(), (e, l) -> {
            assertThat(l.timestamp()).isEqualTo(TextLogFormat.iso(Instant.ofEpochMilli(e.timestamp())));
            assertThat(l.label()).isEqualTo(text.labels().get(e.stream()));
            assertThat(l.message()).isEqualTo(ExportFileParser.asShownInText(e.message()));
        });
        assertThat(text.header()).containsEntry("training job", generated.trainingId())
                .containsEntry("export id", "exp-0000000000000000000000test")
                .containsEntry("requested by", "alice@example.com")
                .containsEntry("total events", Long.toString(text.events().size()))
                .containsKeys("use case", "generated at", "time range", "streams");
        assertThat(text.footer()).isEqualTo("# end of export exp-0000000000000000000000test: " + text.events().size()
                + " events from " + generated.ownStreams().size() + " streams");
    }

    // ---- Property 7: every stream of the job, and only those ----------------------------------------------------

    @Property(tries = 200)
    void property7_everyStreamOfTheJob_isListedWithItsCount(@ForAll("jobs") GeneratedJob generated) {
        byte[] file = exportOnce(generated, ExportFormat.TEXT, false);
        if (file == null) {
            return;
        }
        ExportFileParser.TextFile text = ExportFileParser.text(file);

        assertThat(text.streamCounts()).as("streams of other jobs sharing the name prefix are not included")
                .isEqualTo(generated.expectedCounts());
        assertThat(new ArrayList<>(text.labels().values())).as("labels tell streams apart").doesNotHaveDuplicates();
    }

    // ---- Resumability: many continuations, same bytes -----------------------------------------------------------

    @Property(tries = 150)
    void continuations_produceByteIdenticalFiles(@ForAll("jobs") GeneratedJob generated,
                                                 @ForAll @IntRange(min = 1, max = 6) int pagesPerInvocation,
                                                 @ForAll boolean jsonLines, @ForAll boolean emptyPages) {
        ExportFormat format = jsonLines ? ExportFormat.JSONL : ExportFormat.TEXT;
        byte[] once = exportOnce(generated, format, emptyPages);
        if (once == null) {
            return;
        }

        ManualClock clock = new ManualClock(GeneratedJob.CREATED);
        InMemoryLogSource source = generated.source().onCall(() -> clock.advance(Duration.ofSeconds(1)));
        if (emptyPages) {
            source.withEmptyPagesMidStream();
        }
        InMemoryMultipartStore store = new InMemoryMultipartStore(SMALL_PARTS.minimumBytes());
        InvocationRunner.Outcome resumed = new InvocationRunner(clock, store, SMALL_PARTS)
                .run(generated.job(format), source, Duration.ofMillis(pagesPerInvocation * 1000L - 500));

        assertThat(resumed.last()).isInstanceOf(InvocationResult.Finished.class);
        assertThat(resumed.file()).as("after %d invocations", resumed.invocations()).isEqualTo(once);
        assertThat(store.openUploads()).as("no orphan uploads").isZero();
        assertThat(store.stashCount()).as("working objects deleted").isZero();
    }

    /** Tiny parts (same rules as S3, smaller numbers) so small generated jobs still span several parts. */
    static final PartSizePolicy SMALL_PARTS = new PartSizePolicy(512, 512);

    static byte[] exportOnce(GeneratedJob generated, ExportFormat format, boolean emptyPages) {
        ManualClock clock = new ManualClock(GeneratedJob.CREATED);
        InMemoryLogSource source = generated.source();
        if (emptyPages) {
            source.withEmptyPagesMidStream();
        }
        InMemoryMultipartStore store = new InMemoryMultipartStore(SMALL_PARTS.minimumBytes());
        ExportJob job = generated.job(format);
        if (generated.expectedOrder().isEmpty()) {
            assertThatThrownBy(() -> new InvocationRunner(clock, store, SMALL_PARTS).run(job, source, Duration.ofDays(1)))
                    .as("a job without events fails with NO_LOGS").isInstanceOfSatisfying(JobFailure.class,
                            f -> assertThat(f.code()).isEqualTo(ErrorCode.NO_LOGS));
            assertThat(store.openUploads()).as("its upload is aborted").isZero();
            return null;
        }
        InvocationRunner.Outcome outcome = new InvocationRunner(clock, store, SMALL_PARTS).run(job, source, Duration.ofDays(1));
        assertThat(outcome.invocations()).isEqualTo(1);
        if (outcome.last() instanceof InvocationResult.Finished) {
            return outcome.file();
        }
        throw new AssertionError("export did not finish: " + outcome.last());
    }

    // ---- generators ------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<GeneratedJob> jobs() {
        return JobGenerators.jobs();
    }

    /** The file has exactly the expected events; {@code check} compares each with the one expected at its place. */
    private static void forEachInExpectedOrder(GeneratedJob generated, List<ExportFileParser.Line> lines,
                                               BiConsumer<GeneratedJob.Expected, ExportFileParser.Line> check) {
        List<GeneratedJob.Expected> expected = generated.expectedOrder();
        assertThat(lines).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            check.accept(expected.get(i), lines.get(i));
        }
    }
}
