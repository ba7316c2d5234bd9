package com.mlplatform.logexport.worker.archive;

/**
 * CRC-32 (the zip polynomial) that can continue from a stored value. {@link java.util.zip.CRC32} cannot be seeded,
 * and an archive entry's CRC must carry over from one invocation to the next when the entry's copy is paused half
 * way; the checkpoint keeps the running value and this continues it.
 */
final class Crc32 {

    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32() {
    }

    /** The CRC of the bytes so far ({@code crc}, 0 for none) followed by {@code b[off, off + len)}. */
    static int update(int crc, byte[] b, int off, int len) {
        int c = ~crc;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
        }
        return ~c;
    }
}
