package com.mlplatform.logexport.worker.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.mlplatform.logexport.worker.archive.ArchiveProgress;
import com.mlplatform.logexport.worker.merge.StreamCursor;
import com.mlplatform.logexport.worker.upload.MultipartWriter;
import java.util.List;

/**
 * The worker's resume state, stored as the job record's opaque {@code checkpoint} string (see
 * {@link CheckpointCodec}). Everything a fresh invocation needs to carry on exactly where the last one stopped.
 *
 * @param continuation     the number of the export invocation allowed to work next (the queue message's
 *                         {@code continuation}); messages with another number are stale. Stored as {@code "hop"},
 *                         the field's name in checkpoints already written.
 * @param continuationSent the message for {@code continuation} is on the queue (false only between writing this
 *                         checkpoint and sending it: a redelivered previous message then re-sends it)
 * @param lease            who is working on the job now, null when nobody is
 * @param startedAt        epoch ms when the first invocation claimed the job (the export's duration in the logs)
 * @param uploadId         the S3 multipart upload, null until created
 * @param upload           the writer's progress, null until the upload exists
 * @param stashEtag        ETag of the working object with the unfinished parts, null when there is none
 * @param streams          reading position of every stream (name order), null until the streams are listed
 * @param firstEvent       earliest event timestamp written, null when none yet
 * @param lastEvent        latest event timestamp written, null when none yet
 * @param footerWritten    the closing line is in the body (the merge finished)
 * @param archive          for a batch's archive job (docs/worker.md, "Batch archives"): its place in the plan;
 *                         null for exports, whose checkpoints therefore read as before
 */
public record Checkpoint(
        int v,
        @JsonProperty("hop") int continuation,
        boolean continuationSent,
        Lease lease,
        long startedAt,
        String uploadId,
        MultipartWriter.State upload,
        String stashEtag,
        List<StreamCursor.Position> streams,
        Long firstEvent,
        Long lastEvent,
        boolean footerWritten,
        @JsonInclude(JsonInclude.Include.NON_NULL) ArchiveProgress archive) {

    public static final int VERSION = 1;

    public Checkpoint {
        streams = streams == null ? null : List.copyOf(streams);
    }

    public static Checkpoint initial(long startedAt) {
        return new Checkpoint(VERSION, 0, true, null, startedAt, null, null, null, null, null, null, false, null);
    }

    public Checkpoint withLease(Lease l) {
        return new Checkpoint(v, continuation, continuationSent, l, startedAt, uploadId, upload, stashEtag, streams,
                firstEvent, lastEvent, footerWritten, archive);
    }

    public Checkpoint withStreams(List<StreamCursor.Position> s) {
        return new Checkpoint(v, continuation, continuationSent, lease, startedAt, uploadId, upload, stashEtag, s,
                firstEvent, lastEvent, footerWritten, archive);
    }

    public Checkpoint withUpload(String id, MultipartWriter.State state, String etag) {
        return new Checkpoint(v, continuation, continuationSent, lease, startedAt, id, state, etag, streams,
                firstEvent, lastEvent, footerWritten, archive);
    }

    public Checkpoint withProgress(List<StreamCursor.Position> s, MultipartWriter.State state, String etag,
                                   Long first, Long last, boolean footer) {
        return new Checkpoint(v, continuation, continuationSent, lease, startedAt, uploadId, state, etag, s, first,
                last, footer, archive);
    }

    public Checkpoint withArchive(ArchiveProgress a) {
        return new Checkpoint(v, continuation, continuationSent, lease, startedAt, uploadId, upload, stashEtag, streams,
                firstEvent, lastEvent, footerWritten, a);
    }

    /** Hands the job to continuation {@code continuation + 1}: lease released, continuation not yet sent. */
    public Checkpoint nextContinuation() {
        return new Checkpoint(v, continuation + 1, false, null, startedAt, uploadId, upload, stashEtag, streams,
                firstEvent, lastEvent, footerWritten, archive);
    }

    public Checkpoint markContinuationSent() {
        return new Checkpoint(v, continuation, true, lease, startedAt, uploadId, upload, stashEtag, streams,
                firstEvent, lastEvent, footerWritten, archive);
    }
}
