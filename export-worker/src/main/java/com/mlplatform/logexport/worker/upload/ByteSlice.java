package com.mlplatform.logexport.worker.upload;

import java.util.Objects;

/** A view of part of a byte array; lets a part be uploaded from the buffer without copying it. */
public record ByteSlice(byte[] array, int offset, int length) {

    public ByteSlice {
        Objects.requireNonNull(array, "array");
        Objects.checkFromIndexSize(offset, length, array.length);
    }

    public static ByteSlice of(byte[] array) {
        return new ByteSlice(array, 0, array.length);
    }

    public static long totalLength(Iterable<ByteSlice> slices) {
        long n = 0;
        for (ByteSlice s : slices) {
            n += s.length();
        }
        return n;
    }
}
