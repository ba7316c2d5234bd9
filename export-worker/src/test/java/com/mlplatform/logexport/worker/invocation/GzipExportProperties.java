package com.mlplatform.logexport.worker.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.worker.logs.LogEvent;
import com.mlplatform.logexport.worker.testing.ExportFileParser;
import com.mlplatform.logexport.worker.testing.GeneratedJob;
import com.mlplatform.logexport.worker.testing.InMemoryLogSource;
import com.mlplatform.logexport.worker.testing.InMemoryMultipartStore;
import com.mlplatform.logexport.worker.testing.InvocationRunner;
import com.mlplatform.logexport.worker.testing.JobGenerators;
import com.mlplatform.logexport.worker.testing.ManualClock;
import com.mlplatform.logexport.worker.upload.MultipartStore;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@code "compression": "gzip"}: for generated jobs the file decompresses to exactly the uncompressed export, in one
 * invocation and across forced continuations; every part is whole gzip members on its own, and compressed parts
 * still obey S3's part rules (the in-memory store refuses a small part that is not the last).
 */
class GzipExportProperties {

    private static final PartSizePolicy S3 = PartSizePolicy.forS3(PartSizePolicy.S3_MIN_PART);

    @Property(tries = 150)
    void gzipExport_decompressesToThePlainExport_acrossContinuations(
            @ForAll("jobs") GeneratedJob generated, @ForAll @IntRange(min = 1, max = 6) int pagesPerInvocation,
            @ForAll boolean jsonLines, @ForAll boolean emptyPages) {
        ExportFormat format = jsonLines ? ExportFormat.JSONL : ExportFormat.TEXT;
        byte[] plain = ExportProperties.exportOnce(generated, format, emptyPages);
        if (plain == null) {
            return;
        }
        ExportJob job = generated.job(format, ExportCompression.GZIP);

        InMemoryMultipartStore onceStore = new InMemoryMultipartStore(ExportProperties.SMALL_PARTS.minimumBytes());
        InvocationRunner.Outcome once = new InvocationRunner(new ManualClock(GeneratedJob.CREATED), onceStore,
                ExportProperties.SMALL_PARTS).run(job, source(generated, emptyPages), Duration.ofDays(1));

        ManualClock clock = new ManualClock(GeneratedJob.CREATED);
        InMemoryLogSource stepping = source(generated, emptyPages).onCall(() -> clock.advance(Duration.ofSeconds(1)));
        InMemoryMultipartStore store = new InMemoryMultipartStore(ExportProperties.SMALL_PARTS.minimumBytes());
        InvocationRunner.Outcome resumed = new InvocationRunner(clock, store, ExportProperties.SMALL_PARTS)
                .run(job, stepping, Duration.ofMillis(pagesPerInvocation * 1000L - 500));

        assertThat(once.last()).isInstanceOf(InvocationResult.Finished.class);
        assertThat(ExportFileParser.gunzip(once.file())).as("one invocation").isEqualTo(plain);
        assertThat(resumed.last()).isInstanceOf(InvocationResult.Finished.class);
        assertThat(ExportFileParser.gunzip(resumed.file())).as("after %d invocations", resumed.invocations())
                .isEqualTo(plain);
        assertEveryPartIsWholeMembers(store, ExportKeys.objectKey(job), plain);
        assertThat(store.openUploads()).as("no orphan uploads").isZero();
        assertThat(store.stashCount()).as("working objects deleted").isZero();
    }

    @Property(tries = 20)
    void gzipObject_isNamedDotGz_andServedAsApplicationGzip(@ForAll("jobs") GeneratedJob generated,
                                                            @ForAll boolean jsonLines) {
        ExportFormat format = jsonLines ? ExportFormat.JSONL : ExportFormat.TEXT;
        if (generated.expectedOrder().isEmpty()) {
            return;
        }
        ExportJob job = generated.job(format, ExportCompression.GZIP);
        InMemoryMultipartStore store = new InMemoryMultipartStore(ExportProperties.SMALL_PARTS.minimumBytes());

        InvocationRunner.Outcome outcome = new InvocationRunner(new ManualClock(GeneratedJob.CREATED), store,
                ExportProperties.SMALL_PARTS).run(job, generated.source(), Duration.ofDays(1));

        var result = ((InvocationResult.Finished) outcome.last()).result();
        String filename = ExportKeys.filename(job);
        assertThat(filename).endsWith("." + format.extension() + ".gz");
        assertThat(result.filename()).isEqualTo(filename);
        assertThat(result.contentType()).isEqualTo("application/gzip");
        assertThat(result.sizeBytes()).isEqualTo(outcome.file().length);
        MultipartStore.ObjectInfo info = store.info(result.key());
        assertThat(info.contentType()).isEqualTo("application/gzip");
        assertThat(info.contentDisposition()).contains("filename=\"" + filename + "\"");
    }

    /**
     * S3-sized parts (5 MiB compressed, so about 7 MB of barely compressible messages each): three or more parts, pauses
     * inside parts and inside the held-back part 1; no part but the last below 5 MiB, none above one part size plus
     * the bound {@code MultipartWriter} allows.
     */
    @Example
    void s3SizedCompressedParts_acrossManyPauses_decompressToThePlainExport() {
        GeneratedJob generated = noisyJob();
        ManualClock c1 = new ManualClock(GeneratedJob.CREATED);
        byte[] plain = new InvocationRunner(c1, new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART), S3)
                .run(generated.job(ExportFormat.TEXT), generated.source(), Duration.ofDays(1)).file();

        ExportJob job = generated.job(ExportFormat.TEXT, ExportCompression.GZIP);
        ManualClock c2 = new ManualClock(GeneratedJob.CREATED);
        InMemoryMultipartStore store = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART);
        InMemoryLogSource source = generated.source().onCall(() -> c2.advance(Duration.ofSeconds(1)));
        InvocationRunner.Outcome resumed = new InvocationRunner(c2, store, S3).run(job, source, Duration.ofMillis(2500));

        assertThat(resumed.invocations()).as("many continuations").isGreaterThan(5);
        List<byte[]> parts = store.parts(ExportKeys.objectKey(job));
        assertThat(parts).as("several compressed parts").hasSizeGreaterThanOrEqualTo(3);
        assertThat(store.largestPart()).as("memory: a part is about one part size")
                .isLessThan(PartSizePolicy.S3_MIN_PART + (1 << 20));
        assertThat(ExportFileParser.gunzip(resumed.file())).isEqualTo(plain);
        assertEveryPartIsWholeMembers(store, ExportKeys.objectKey(job), plain);
        assertThat(store.openUploads()).isZero();
        assertThat(store.stashCount()).isZero();
    }

    /** Each part decompresses on its own, and the parts' contents in order are the plain file. */
    private static void assertEveryPartIsWholeMembers(InMemoryMultipartStore store, String key, byte[] plain) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : store.parts(key)) {
            joined.writeBytes(ExportFileParser.gunzip(part));
        }
        assertThat(joined.toByteArray()).as("parts decompressed one by one").isEqualTo(plain);
    }

    private static InMemoryLogSource source(GeneratedJob generated, boolean emptyPages) {
        InMemoryLogSource source = generated.source();
        return emptyPages ? source.withEmptyPagesMidStream() : source;
    }

    /** ~21 MB over 3 streams of random base64 (compresses to about three quarters): over 10 MiB compressed. */
    private static GeneratedJob noisyJob() {
        Random random = new Random(42);
        long t0 = 1_767_000_000_000L;
        Map<String, List<LogEvent>> streams = new LinkedHashMap<>();
        for (int s = 1; s <= 3; s++) {
            List<LogEvent> events = new ArrayList<>(24_000);
            for (int i = 0; i < 24_000; i++) {
                byte[] noise = new byte[180 + random.nextInt(60)];
                random.nextBytes(noise);
                events.add(new LogEvent(t0 + i * 3L + s, "host " + s + " step " + i + " blob="
                        + Base64.getEncoder().encodeToString(noise)));
            }
            streams.put("noisy/algo-" + s + "-1767000000", events);
        }
        return new GeneratedJob("noisy", streams, null, null);
    }

    @Provide
    Arbitrary<GeneratedJob> jobs() {
        return JobGenerators.jobs();
    }
}
