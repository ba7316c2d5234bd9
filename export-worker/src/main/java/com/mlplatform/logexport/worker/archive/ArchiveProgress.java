package com.mlplatform.logexport.worker.archive;

import java.util.Objects;

/**
 * An archive's place in its plan, kept in the checkpoint: which entry is next or open, the zip writer's state
 * (the central directory so far is in the working object, in front of the unfinished parts), and the ETag of the
 * export file being copied, so that a later invocation reads on only from the very same object.
 *
 * @param entry      index into {@link ArchivePlan#entries()} of the open or next entry
 * @param zip        the writer's state
 * @param sourceEtag the open entry's object as first read; null before its first read (and for the manifest)
 */
public record ArchiveProgress(int entry, ZipStream.State zip, String sourceEtag) {

    public static final ArchiveProgress START = new ArchiveProgress(0, ZipStream.State.EMPTY, null);

    public ArchiveProgress {
        Objects.requireNonNull(zip, "zip");
    }
}
