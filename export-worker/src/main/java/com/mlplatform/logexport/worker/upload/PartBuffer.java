package com.mlplatform.logexport.worker.upload;

import java.io.OutputStream;
import java.util.Arrays;

/** A growable in-memory part: bytes are appended until the part is cut. Reused from part to part. */
final class PartBuffer extends OutputStream {

    private byte[] bytes;
    private int size;
    private long target;

    /** {@code target}: the capacity a full part needs; growth stops there unless one event needs more. */
    PartBuffer(int initialCapacity, long target) {
        bytes = new byte[Math.max(64, initialCapacity)];
        this.target = target;
    }

    void target(long target) {
        this.target = target;
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    int size() {
        return size;
    }

    ByteSlice slice() {
        return new ByteSlice(bytes, 0, size);
    }

    void reset() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long wanted = Math.max(Math.min((long) bytes.length * 2, Math.max(target, bytes.length + 1L)),
                    (long) size + more);
            bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16, wanted));
        }
    }
}
