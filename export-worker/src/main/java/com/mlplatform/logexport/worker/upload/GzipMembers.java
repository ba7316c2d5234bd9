package com.mlplatform.logexport.worker.upload;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses the body into gzip members (RFC 1952): one member per part, per stash and for the header. A gzip file
 * may be any number of members back to back and decompresses to their contents concatenated ({@code gzip -d},
 * Java's {@code GZIPInputStream}, browsers), so the file decompresses to exactly the uncompressed export whatever
 * the part and pause boundaries were.
 *
 * <p>Memory: the deflater's own state (about 256 KB outside the heap at the default level) and a 64 KB output
 * buffer; input is not held (the deflater keeps only its 32 KB window). Between a part's compressed size reaching
 * its target and the member being finished, at most what the deflater has pending (one block, well under 1 MB)
 * and one event are added, so a part stays within the {@link PartBuffer}'s target plus one event.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1952#section-2.2">RFC 1952 2.2: a gzip file consists of a series of members</a>
 */
final class GzipMembers implements PartEncoding {

    /** ID1 ID2, CM = deflate, no flags, MTIME 0 (so a resumed export compresses identically), XFL 0, OS unknown. */
    private static final byte[] MEMBER_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private final byte[] out = new byte[64 * 1024];
    private boolean open;

    @Override
    public void write(byte[] b, int off, int len, PartBuffer into) {
        if (len == 0) {
            return;
        }
        if (!open) {
            into.write(MEMBER_HEADER, 0, MEMBER_HEADER.length);
            open = true;
        }
        crc.update(b, off, len);
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) {
            drain(into);
        }
    }

    @Override
    public void close(PartBuffer into) {
        if (!open) {
            return;
        }
        deflater.finish();
        while (!deflater.finished()) {
            drain(into);
        }
        long size = deflater.getBytesRead();
        writeIntLe(into, crc.getValue());
        // ISIZE is the input size modulo 2^32 (RFC 1952), so a member may hold more than 4 GiB.
        writeIntLe(into, size);
        deflater.reset();
        crc.reset();
        open = false;
    }

    /** An empty header (JSON Lines) gets no member at all. */
    @Override
    public byte[] whole(byte[] bytes) {
        if (open) {
            throw new IllegalStateException("a member is open");
        }
        PartBuffer b = new PartBuffer(bytes.length / 2 + 64, bytes.length + 64);
        write(bytes, 0, bytes.length, b);
        close(b);
        return Arrays.copyOf(b.slice().array(), b.size());
    }

    @Override
    public void release() {
        deflater.end();
    }

    private void drain(PartBuffer into) {
        int n = deflater.deflate(out, 0, out.length, Deflater.NO_FLUSH);
        into.write(out, 0, n);
    }

    private static void writeIntLe(PartBuffer into, long v) {
        into.write((int) (v & 0xff));
        into.write((int) ((v >> 8) & 0xff));
        into.write((int) ((v >> 16) & 0xff));
        into.write((int) ((v >> 24) & 0xff));
    }
}
