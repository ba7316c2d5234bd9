package com.mlplatform.logexport.worker.archive;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.failure.Disposition;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.worker.failure.OutOfTime;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.failure.UploadGone;
import com.mlplatform.logexport.worker.format.DownloadName;
import com.mlplatform.logexport.worker.invocation.ExportBucket;
import com.mlplatform.logexport.worker.invocation.ExportKeys;
import com.mlplatform.logexport.worker.invocation.InvocationLedger;
import com.mlplatform.logexport.worker.invocation.InvocationResult;
import com.mlplatform.logexport.worker.invocation.JobChanged;
import com.mlplatform.logexport.worker.invocation.Retries;
import com.mlplatform.logexport.worker.invocation.WorkSweep;
import com.mlplatform.logexport.worker.upload.ByteSlice;
import com.mlplatform.logexport.worker.upload.MultipartStore;
import com.mlplatform.logexport.worker.upload.MultipartWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One invocation's share of a batch's archive: the counterpart of {@code ExportInvocation} for archive jobs. It
 * streams the plan's entries ({@link ArchivePlan}) chunk by chunk through {@link ZipStream} into the same
 * {@link MultipartWriter} exports use (no header: part 1 is simply the archive's first part), and pauses between
 * two chunks when the time budget is spent, saving the writer's unfinished parts and the central directory so far
 * as the working object. The archive's bytes do not depend on where the pauses fell.
 */
public final class ArchiveInvocation {

    /** Input bytes per chunk: one ranged read and one deflate call each; the unit of a pause. */
    public static final int CHUNK_BYTES = 4 << 20;
    public static final String CONTENT_TYPE = "application/zip";

    private final ExportJob job;
    private final ArchivePlan plan;
    private final ExportBucket bucket;
    private final MultipartStore store;
    private final ExportFiles files;
    private final Retrier retrier;
    private final Retrier pauseRetrier;
    private final InvocationLedger ledger;
    private final WorkSweep sweep;
    private final Zip64Limits limits;
    private final int chunkBytes;

    public ArchiveInvocation(ExportJob job, ArchivePlan plan, ExportBucket bucket, ExportFiles files, Retries retries,
                             InvocationLedger ledger, Zip64Limits limits, int chunkBytes) {
        this.job = job;
        this.plan = plan;
        this.bucket = bucket;
        this.store = bucket.store();
        this.files = files;
        this.retrier = retries.work();
        this.pauseRetrier = retries.pause();
        this.ledger = ledger;
        this.sweep = new WorkSweep(job, store, pauseRetrier);
        this.limits = limits;
        this.chunkBytes = chunkBytes;
    }

    public InvocationResult run(Checkpoint start) {
        Checkpoint cp = start;
        String key = ExportKeys.objectKey(job);
        if (cp.uploadId() != null) {
            // As for exports: completed by an attempt that died before recording it (adopt), or aborted (restart).
            String uploadId = cp.uploadId();
            if (!retrier.call(() -> store.isOpen(key, uploadId))) {
                return finishedEarlier(cp, key);
            }
        }
        if (cp.uploadId() == null || cp.archive() == null) {
            String filename = ExportKeys.filename(job);
            String uploadId = retrier.call(() -> store.create(key, new MultipartStore.ObjectInfo(CONTENT_TYPE,
                    DownloadName.contentDisposition(filename), Map.of("export-id", job.exportId()))));
            cp = cp.withUpload(uploadId, MultipartWriter.State.EMPTY, null).withArchive(ArchiveProgress.START);
            // Durable before any part is uploaded: a crash now must not leave an upload nobody knows about.
            ledger.persist(cp, progress(0, 0));
        }
        try {
            return build(cp, key);
        } catch (UploadGone e) {
            return finishedEarlier(cp, key);
        } catch (JobChanged e) {
            throw e;
        } catch (RuntimeException e) {
            if (Disposition.of(e).endsExport()) {
                sweep.cleanUp(cp.uploadId(), key);
            }
            throw e;
        }
    }

    private InvocationResult build(Checkpoint cp, String key) {
        MultipartWriter.State state = cp.upload();
        ArchiveProgress at = cp.archive();
        String stashKey = ExportKeys.stashKey(job, state.bodyBytes());
        byte[] stash = cp.stashEtag() == null ? new byte[0]
                : retrier.call(() -> store.getStash(stashKey, cp.stashEtag()));
        sweep.deleteWorkObjectsBut(cp.stashEtag() == null ? null : stashKey);
        int directory = at.zip().directorySize();
        MultipartWriter writer = MultipartWriter.resume(store, key, cp.uploadId(), bucket.partSizes(), retrier, state,
                Arrays.copyOfRange(stash, directory, stash.length), ExportCompression.NONE);
        ZipStream zip = ZipStream.resume(writer, limits, at.zip(), Arrays.copyOfRange(stash, 0, directory));
        Cursor cursor = new Cursor(at.entry(), at.sourceEtag());
        boolean progressed = false;
        try {
            while (!zip.state().ended()) {
                writer.cutIfFull();
                // However small the budget, each invocation moves the archive on by one step at least.
                if (progressed && retrier.deadline().isPassed()) {
                    return pause(cp, writer, zip, cursor);
                }
                step(zip, cursor);
                progressed = true;
                ledger.progress(progress(cursor.entry, zip.position()));
            }
            long size = writer.finish(new byte[0]);
            sweep.removeLeftovers();
            return finished(key, size, progress(plan.entries().size(), size));
        } catch (OutOfTime e) {
            return pause(cp, writer, zip, cursor);
        }
    }

    /** The entry being written (or next), and the ETag of its object once read. */
    private static final class Cursor {
        int entry;
        String etag;

        Cursor(int entry, String etag) {
            this.entry = entry;
            this.etag = etag;
        }
    }

    /** One step: open the next entry and copy its first chunk, copy one more chunk, end an entry, or end the zip. */
    private void step(ZipStream zip, Cursor cursor) {
        if (cursor.entry == plan.entries().size()) {
            zip.finish();
            return;
        }
        ArchiveEntry entry = plan.entries().get(cursor.entry);
        long offset = zip.inEntry() ? zip.state().open().uncompressed() : 0;
        if (zip.inEntry() && offset >= entry.sizeBytes()) {
            zip.endEntry();
            cursor.entry++;
            cursor.etag = null;
            return;
        }
        int length = (int) Math.min(chunkBytes, entry.sizeBytes() - offset);
        byte[] chunk = length == 0 ? new byte[0] : read(entry, offset, length, cursor);
        if (!zip.inEntry()) {
            zip.beginEntry(entry.name(), job.createdAt(), entry.sizeBytes(), entry.level());
        }
        if (length > 0) {
            zip.writeChunk(chunk, length);
        }
    }

    private byte[] read(ArchiveEntry entry, long offset, int length, Cursor cursor) {
        if (entry.isManifest()) {
            return Arrays.copyOfRange(plan.manifest(), (int) offset, (int) offset + length);
        }
        String etag = cursor.etag;
        ExportFiles.Range range = retrier.call(() -> files.read(entry.key(), offset, length, etag));
        if (range.totalSize() != entry.sizeBytes() || range.bytes().length != length) {
            throw new JobFailure(ErrorCode.NOT_FOUND, "The file " + entry.name() + " changed after its export "
                    + "finished, so the archive cannot include it. Export that training again, then ask for a new "
                    + "batch's archive.");
        }
        cursor.etag = range.etag();
        return range.bytes();
    }

    private InvocationResult pause(Checkpoint cp, MultipartWriter writer, ZipStream zip, Cursor cursor) {
        MultipartWriter.State state = writer.state();
        List<ByteSlice> stash = new ArrayList<>(3);
        stash.add(ByteSlice.of(zip.directory()));
        stash.addAll(writer.stash());
        String etag = ByteSlice.totalLength(stash) == 0 ? null
                : pauseRetrier.call(() -> store.putStash(ExportKeys.stashKey(job, state.bodyBytes()), stash));
        Checkpoint next = cp.withUpload(cp.uploadId(), state, etag)
                .withArchive(new ArchiveProgress(cursor.entry, zip.state(), cursor.etag));
        return new InvocationResult.Paused(next, progress(cursor.entry, zip.position()));
    }

    private InvocationResult finishedEarlier(Checkpoint cp, String key) {
        OptionalLong size = retrier.call(() -> store.size(key));
        if (size.isPresent()) {
            sweep.removeLeftovers();
            return finished(key, size.getAsLong(), progress(plan.entries().size(), size.getAsLong()));
        }
        // The upload was aborted under us: start again from the manifest; the new upload's bytes are the same.
        Checkpoint fresh = cp.withUpload(null, null, null).withArchive(null);
        return new InvocationResult.Paused(fresh, progress(0, 0));
    }

    private InvocationResult finished(String key, long size, Progress progress) {
        return new InvocationResult.Finished(new ExportResult(bucket.name(), key, ExportKeys.filename(job),
                CONTENT_TYPE, size), progress);
    }

    /**
     * The archive's progress in the job's progress fields: {@code streamsTotal}/{@code streamsDone} count entries
     * (the manifest included), {@code events} the events of the exports archived so far, {@code bytes} the archive's
     * bytes so far.
     */
    private Progress progress(int entriesDone, long bytes) {
        return new Progress(plan.entries().size(), entriesDone, plan.eventsBefore(entriesDone), bytes);
    }
}
