package com.mlplatform.logexport.worker.upload;

import com.mlplatform.logexport.shared.job.ExportCompression;

/**
 * How body bytes become the bytes of a part: as they are, or as gzip members. Whatever the encoding keeps open (a
 * gzip member being compressed) is closed before a part is cut, before a checkpoint stashes the unfinished parts
 * and before part 1 is written, so every part and every stash holds only complete units and a resumed invocation
 * never needs the previous one's compressor state.
 */
sealed interface PartEncoding permits PartEncoding.Identity, GzipMembers {

    static PartEncoding of(ExportCompression compression) {
        return switch (compression) {
            case NONE -> new Identity();
            case GZIP -> new GzipMembers();
        };
    }

    void write(byte[] b, int off, int len, PartBuffer into);

    /** Ends the open unit, if any, into {@code into}. */
    void close(PartBuffer into);

    /** {@code bytes} as one complete unit on its own (the header, which goes before the head in part 1). */
    byte[] whole(byte[] bytes);

    /** Frees what the encoding holds outside the heap. */
    void release();

    record Identity() implements PartEncoding {

        @Override
        public void write(byte[] b, int off, int len, PartBuffer into) {
            into.write(b, off, len);
        }

        @Override
        public void close(PartBuffer into) {
        }

        @Override
        public byte[] whole(byte[] bytes) {
            return bytes;
        }

        @Override
        public void release() {
        }
    }
}
