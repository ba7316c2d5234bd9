package com.mlplatform.logexport.worker.archive;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * Compresses an archive entry chunk by chunk, each chunk on its own: a fresh raw deflater per chunk, ended with a
 * sync flush, so the chunk's output is whole, byte-aligned, non-final deflate blocks that refer to nothing before
 * them. Appending chunks gives one valid deflate stream once {@link #FINAL_BLOCK} closes it. Nothing of a deflater
 * survives a chunk, so an entry paused between chunks continues in another invocation with the same bytes as
 * without the pause (chunks start at fixed input offsets).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1951#section-3.2.3">RFC 1951 3.2.3: block headers</a>
 */
final class ChunkDeflater {

    /** An empty final block with fixed Huffman codes: BFINAL=1, BTYPE=01, end-of-block code 0000000. */
    static final byte[] FINAL_BLOCK = {0x03, 0x00};

    private ChunkDeflater() {
    }

    /** {@code level} 0 stores (for files that are already gzip), up to 9. */
    static byte[] chunk(byte[] input, int length, int level) {
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setInput(input, 0, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(level == 0 ? length + 64 : length / 3 + 64);
            byte[] buffer = new byte[64 * 1024];
            int n;
            // A sync flush that fills the buffer may have more to give: ask again until it leaves room.
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length || !deflater.needsInput());
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
