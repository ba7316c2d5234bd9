package com.mlplatform.logexport.worker.archive;

import java.util.Objects;

/**
 * One file of the archive: the manifest ({@code key} null, its bytes made by {@link ArchivePlan}) or a finished
 * export's object.
 *
 * @param name      the entry's name in the zip, unique within the archive
 * @param key       the export's object in the export bucket; null for the manifest
 * @param sizeBytes the file's size
 * @param level     deflate level: 0 (a copy in stored blocks) for files that are already gzip
 * @param events    events the export wrote (0 for the manifest)
 */
public record ArchiveEntry(String name, String key, long sizeBytes, int level, long events) {

    public ArchiveEntry {
        Objects.requireNonNull(name, "name");
    }

    public boolean isManifest() {
        return key == null;
    }
}
