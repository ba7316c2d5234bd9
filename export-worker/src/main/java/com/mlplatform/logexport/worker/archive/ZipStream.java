package com.mlplatform.logexport.worker.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A zip archive written front to back in one pass, never seeking: each entry is a local header, its data
 * deflated chunk by chunk ({@link ChunkDeflater}) and a data descriptor; the central directory collects in memory
 * (one header per entry, about 50 bytes plus the name) and is written at the end with the end records. All of its
 * state is {@link State} plus the central directory so far, so an invocation can stop between two chunks and a
 * later one carry on byte for byte ({@link #resume}).
 *
 * <p>Entries are deflated (method 8), never stored: a stored entry with a data descriptor is not readable by
 * {@link java.util.zip.ZipInputStream}, and without the descriptor the CRC would have to be known before the data,
 * i.e. every file read twice. Files that are already gzip are deflated at level 0 (stored blocks: a copy).
 */
public final class ZipStream {

    /**
     * What survives an invocation.
     *
     * @param position      bytes of the archive written so far
     * @param entries       entries completed (their central headers are in the directory)
     * @param directorySize bytes of central directory so far
     * @param open          the entry being written, null between entries
     * @param ended         the central directory and end records are written: the archive is complete
     */
    public record State(long position, int entries, int directorySize, ZipEntryRecord open, boolean ended) {
        public static final State EMPTY = new State(0, 0, 0, null, false);
    }

    private final OutputStream out;
    private final Zip64Limits limits;
    private final ByteArrayOutputStream directory;
    private long position;
    private int entries;
    private ZipEntryRecord open;
    private boolean ended;

    private ZipStream(OutputStream out, Zip64Limits limits, State state, byte[] directory) {
        if (directory.length != state.directorySize()) {
            throw new IllegalStateException("central directory has " + directory.length + " bytes, state expects "
                    + state.directorySize());
        }
        this.out = Objects.requireNonNull(out, "out");
        this.limits = limits;
        this.directory = new ByteArrayOutputStream(Math.max(1024, directory.length * 2));
        this.directory.writeBytes(directory);
        this.position = state.position();
        this.entries = state.entries();
        this.open = state.open();
        this.ended = state.ended();
    }

    public static ZipStream start(OutputStream out, Zip64Limits limits) {
        return new ZipStream(out, limits, State.EMPTY, new byte[0]);
    }

    /** Continues where {@link #state()} and {@link #directory()} left off, writing on into {@code out}. */
    public static ZipStream resume(OutputStream out, Zip64Limits limits, State state, byte[] directory) {
        return new ZipStream(out, limits, state, directory);
    }

    public State state() {
        return new State(position, entries, directory.size(), open, ended);
    }

    /** The central directory so far: with {@link #state()}, all a resume needs. */
    public byte[] directory() {
        return directory.toByteArray();
    }

    public boolean inEntry() {
        return open != null;
    }

    /**
     * Starts an entry. Whether it is a Zip64 entry is decided now, from the size it will have: the local header
     * comes before the data and cannot be changed afterwards.
     *
     * @param expectedSize its uncompressed size, as far as known (decides Zip64 with room for deflate's overhead)
     * @param level        deflate level, 0 to store already compressed files
     */
    public void beginEntry(String name, Instant modified, long expectedSize, int level) {
        if (open != null || ended) {
            throw new IllegalStateException("an entry is open or the archive is complete");
        }
        // Deflate never grows data by more than a few bytes per 16 KiB block, plus each chunk's flush marker.
        long bound = expectedSize + (expectedSize >> 10) + 1024;
        boolean zip64 = bound >= limits.size();
        LocalDateTime t = LocalDateTime.ofInstant(modified, ZoneOffset.UTC);
        int dosTime = (t.getHour() << 11) | (t.getMinute() << 5) | (t.getSecond() / 2);
        int dosDate = (Math.max(0, t.getYear() - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth();
        open = new ZipEntryRecord(name, dosTime, dosDate, position, 0, 0, 0, zip64, level);
        emit(ZipRecords.localHeader(name, dosTime, dosDate, zip64));
    }

    /** Adds one chunk of the open entry's data; chunks must start at the same offsets on every run. */
    public void writeChunk(byte[] data, int length) {
        if (open == null) {
            throw new IllegalStateException("no entry is open");
        }
        byte[] deflated = ChunkDeflater.chunk(data, length, open.level());
        emit(deflated);
        open = open.add(Crc32.update(open.crc(), data, 0, length), deflated.length, length);
    }

    /** Ends the open entry: the final deflate block, the data descriptor, its central directory header. */
    public ZipEntryRecord endEntry() {
        if (open == null) {
            throw new IllegalStateException("no entry is open");
        }
        emit(ChunkDeflater.FINAL_BLOCK);
        ZipEntryRecord done = open.add(open.crc(), ChunkDeflater.FINAL_BLOCK.length, 0);
        if (!done.zip64() && (done.compressed() >= limits.size() || done.uncompressed() >= limits.size())) {
            throw new IllegalStateException("entry " + done.name() + " outgrew its non-Zip64 header");
        }
        emit(ZipRecords.dataDescriptor(done.crc(), done.compressed(), done.uncompressed(), done.zip64()));
        directory.writeBytes(ZipRecords.centralHeader(done, limits));
        entries++;
        open = null;
        return done;
    }

    /** Writes the central directory and the end records; the archive is then complete. */
    public void finish() {
        if (open != null || ended) {
            throw new IllegalStateException("an entry is open or the archive is complete");
        }
        long directoryOffset = position;
        byte[] dir = directory.toByteArray();
        emit(dir);
        emit(ZipRecords.end(entries, directoryOffset, dir.length, limits));
        ended = true;
    }

    public long position() {
        return position;
    }

    private void emit(byte[] bytes) {
        try {
            out.write(bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        position += bytes.length;
    }
}
