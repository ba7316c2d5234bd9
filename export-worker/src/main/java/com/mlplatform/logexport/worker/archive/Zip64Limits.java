package com.mlplatform.logexport.worker.archive;

/**
 * From which values on a zip record needs its Zip64 form. The format's 4-byte sizes and offsets use 0xFFFFFFFF, and
 * the 2-byte entry counts 0xFFFF, as "see the Zip64 record"; so any value at or above those needs Zip64. Tests lower
 * the limits to force every Zip64 record onto a few bytes of data.
 *
 * @param size    an entry's uncompressed or compressed size at or above this goes into a Zip64 extra field
 * @param offset  a local header or central directory offset (or the directory's size) at or above this does too
 * @param entries this many entries or more need the Zip64 end of central directory record
 * @see <a href="https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT">APPNOTE.TXT 4.3.9, 4.4.8, 4.5.3</a>
 */
public record Zip64Limits(long size, long offset, int entries) {

    public static final Zip64Limits STANDARD = new Zip64Limits(0xFFFFFFFFL, 0xFFFFFFFFL, 0xFFFF);

    public Zip64Limits {
        if (size < 1 || size > 0xFFFFFFFFL || offset < 0 || offset > 0xFFFFFFFFL || entries < 0
                || entries > 0xFFFF) {
            throw new IllegalArgumentException("limits must be at most the format's own");
        }
    }
}
