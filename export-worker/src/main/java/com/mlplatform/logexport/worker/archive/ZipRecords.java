package com.mlplatform.logexport.worker.archive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The byte layout of the zip records the streaming writer emits (APPNOTE.TXT 4.3): local file headers with a data
 * descriptor (general purpose bit 3: CRC and sizes follow the data, since they are known only after it), central
 * directory headers, and the end records, each in its Zip64 form where a value needs it. Little-endian throughout.
 *
 * @see <a href="https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT">APPNOTE.TXT</a>
 */
final class ZipRecords {

    static final int DEFLATED = 8;
    /** Bit 3: CRC and sizes are in the data descriptor. Bit 11: the name is UTF-8. */
    static final int FLAGS = 0x0008 | 0x0800;
    static final int VERSION_DEFLATE = 20;
    static final int VERSION_ZIP64 = 45;
    static final long MARK32 = 0xFFFFFFFFL;
    static final int MARK16 = 0xFFFF;

    private ZipRecords() {
    }

    /**
     * A local file header. A Zip64 entry (one whose size may reach the limit, decided before its data) carries a
     * Zip64 extra field with zero sizes, the 4-byte fields marked 0xFFFFFFFF; readers then expect 8-byte sizes in
     * its data descriptor (APPNOTE 4.3.9.2, 4.5.3).
     */
    static byte[] localHeader(String name, int dosTime, int dosDate, boolean zip64) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        Le out = new Le();
        out.u32(0x04034b50).u16(zip64 ? VERSION_ZIP64 : VERSION_DEFLATE).u16(FLAGS).u16(DEFLATED)
                .u16(dosTime).u16(dosDate).u32(0)
                .u32(zip64 ? MARK32 : 0).u32(zip64 ? MARK32 : 0)
                .u16(n.length).u16(zip64 ? 20 : 0).bytes(n);
        if (zip64) {
            out.u16(0x0001).u16(16).u64(0).u64(0);
        }
        return out.toByteArray();
    }

    static byte[] dataDescriptor(int crc, long compressed, long uncompressed, boolean zip64) {
        Le out = new Le().u32(0x08074b50).u32(crc);
        return (zip64 ? out.u64(compressed).u64(uncompressed) : out.u32(compressed).u32(uncompressed)).toByteArray();
    }

    /**
     * A central directory header. Each of uncompressed size, compressed size and local header offset that reaches
     * its limit is marked in its 4-byte field and given in the Zip64 extra field, in that order and only those
     * (APPNOTE 4.5.3), which is what strict readers check.
     */
    static byte[] centralHeader(ZipEntryRecord e, Zip64Limits limits) {
        byte[] n = e.name().getBytes(StandardCharsets.UTF_8);
        boolean bigSize = e.uncompressed() >= limits.size();
        boolean bigCompressed = e.compressed() >= limits.size();
        boolean bigOffset = e.headerOffset() >= limits.offset();
        int extra = 8 * ((bigSize ? 1 : 0) + (bigCompressed ? 1 : 0) + (bigOffset ? 1 : 0));
        boolean zip64 = extra > 0 || e.zip64();
        Le out = new Le();
        out.u32(0x02014b50).u16(VERSION_ZIP64).u16(zip64 ? VERSION_ZIP64 : VERSION_DEFLATE).u16(FLAGS)
                .u16(DEFLATED).u16(e.dosTime()).u16(e.dosDate()).u32(e.crc())
                .u32(bigCompressed ? MARK32 : e.compressed()).u32(bigSize ? MARK32 : e.uncompressed())
                .u16(n.length).u16(extra == 0 ? 0 : extra + 4).u16(0).u16(0).u16(0).u32(0)
                .u32(bigOffset ? MARK32 : e.headerOffset()).bytes(n);
        if (extra > 0) {
            out.u16(0x0001).u16(extra);
            if (bigSize) {
                out.u64(e.uncompressed());
            }
            if (bigCompressed) {
                out.u64(e.compressed());
            }
            if (bigOffset) {
                out.u64(e.headerOffset());
            }
        }
        return out.toByteArray();
    }

    /**
     * The end of the archive: the Zip64 end of central directory record and its locator when the entry count, the
     * directory's size or its offset reaches its limit, then the classic end record with those fields marked.
     */
    static byte[] end(long entries, long directoryOffset, long directorySize, Zip64Limits limits) {
        boolean manyEntries = entries >= limits.entries();
        boolean bigSize = directorySize >= limits.offset();
        boolean bigOffset = directoryOffset >= limits.offset();
        Le out = new Le();
        if (manyEntries || bigSize || bigOffset) {
            long zip64End = directoryOffset + directorySize;
            out.u32(0x06064b50).u64(44).u16(VERSION_ZIP64).u16(VERSION_ZIP64).u32(0).u32(0)
                    .u64(entries).u64(entries).u64(directorySize).u64(directoryOffset);
            out.u32(0x07064b50).u32(0).u64(zip64End).u32(1);
        }
        out.u32(0x06054b50).u16(0).u16(0)
                .u16(manyEntries ? MARK16 : (int) entries).u16(manyEntries ? MARK16 : (int) entries)
                .u32(bigSize ? MARK32 : directorySize).u32(bigOffset ? MARK32 : directoryOffset).u16(0);
        return out.toByteArray();
    }

    /** Little-endian record builder. */
    static final class Le {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        Le u16(int v) {
            out.write(v);
            out.write(v >>> 8);
            return this;
        }

        Le u32(long v) {
            u16((int) (v & 0xFFFF));
            return u16((int) ((v >>> 16) & 0xFFFF));
        }

        Le u64(long v) {
            u32(v & MARK32);
            return u32(v >>> 32);
        }

        Le bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
