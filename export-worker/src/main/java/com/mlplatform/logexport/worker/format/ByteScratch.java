package com.mlplatform.logexport.worker.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** A reusable byte buffer one event line is built in, so it reaches the output in a single write. */
final class ByteScratch {

    private byte[] bytes = new byte[4096];
    private int size;

    void reset() {
        size = 0;
    }

    void put(byte b) {
        if (size == bytes.length) {
            grow(1);
        }
        bytes[size++] = b;
    }

    void put(byte[] src) {
        put(src, 0, src.length);
    }

    void put(byte[] src, int offset, int length) {
        if (size + length > bytes.length) {
            grow(length);
        }
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    /** Appends chars {@code from..to} of {@code s}, which the caller knows are all ASCII, in one bulk copy. */
    @SuppressWarnings("deprecation")
    void putAscii(String s, int from, int to) {
        int length = to - from;
        if (length <= 0) {
            return;
        }
        if (size + length > bytes.length) {
            grow(length);
        }
        // The one String method that copies chars to bytes without encoding: exactly right for ASCII.
        s.getBytes(from, to, bytes, size);
        size += length;
    }

    /** Appends {@code s} as UTF-8; unpaired surrogates become U+FFFD. */
    void putUtf8(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                put((byte) c);
            } else {
                i = putNonAscii(s, i, to);
            }
        }
    }

    /** Encodes the non-ASCII char at {@code i}; returns the index of the last char consumed. */
    int putNonAscii(CharSequence s, int i, int to) {
        char c = s.charAt(i);
        if (size + 4 > bytes.length) {
            grow(4);
        }
        if (c < 0x800) {
            bytes[size++] = (byte) (0xC0 | (c >> 6));
            bytes[size++] = (byte) (0x80 | (c & 0x3F));
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            bytes[size++] = (byte) (0xF0 | (cp >> 18));
            bytes[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            bytes[size++] = (byte) (0x80 | (cp & 0x3F));
            return i + 1;
        }
        int cp = Character.isSurrogate(c) ? 0xFFFD : c;
        bytes[size++] = (byte) (0xE0 | (cp >> 12));
        bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        bytes[size++] = (byte) (0x80 | (cp & 0x3F));
        return i;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    int size() {
        return size;
    }

    private void grow(int needed) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + needed));
    }
}
