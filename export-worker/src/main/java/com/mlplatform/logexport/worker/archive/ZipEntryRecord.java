package com.mlplatform.logexport.worker.archive;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One entry of the archive as its central directory header needs it, and, while the entry is being written, its
 * running figures (stored in the checkpoint when an invocation pauses inside it).
 *
 * @param headerOffset where the entry's local header starts in the archive
 * @param crc          CRC-32 of the uncompressed bytes so far
 * @param compressed   deflate bytes written so far
 * @param uncompressed input bytes read so far
 * @param zip64        the local header has the Zip64 extra field (and the data descriptor 8-byte sizes)
 * @param level        the deflate level: 0 (stored blocks) for files that are already gzip
 */
public record ZipEntryRecord(@JsonProperty("name") String name, int dosTime, int dosDate, long headerOffset,
                             int crc, long compressed, long uncompressed, boolean zip64, int level) {

    public ZipEntryRecord {
        Objects.requireNonNull(name, "name");
    }

    ZipEntryRecord add(int newCrc, long moreCompressed, long moreUncompressed) {
        return new ZipEntryRecord(name, dosTime, dosDate, headerOffset, newCrc, compressed + moreCompressed,
                uncompressed + moreUncompressed, zip64, level);
    }
}
