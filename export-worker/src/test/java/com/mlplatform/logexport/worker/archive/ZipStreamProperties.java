package com.mlplatform.logexport.worker.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The zip writer over generated archives: any files (empty, text, incompressible, stored or deflated), any chunk
 * size, with or without every Zip64 record forced, paused after any steps and resumed from its state alone: the
 * bytes are those of an uninterrupted run, and Java's readers give back every file exactly.
 */
class ZipStreamProperties {

    static final Instant TIME = Instant.parse("2026-01-15T10:00:00Z");

    record File(String name, byte[] data, int level) {
    }

    @Property(tries = 200)
    void anyPausePoints_giveTheBytesOfOneRun_andEveryFileReadsBack(
            @ForAll("archives") List<File> files, @ForAll @IntRange(min = 1, max = 700) int chunk,
            @ForAll boolean forceZip64, @ForAll long pauseSeed) throws IOException {
        Zip64Limits limits = forceZip64 ? new Zip64Limits(1, 0, 0) : Zip64Limits.STANDARD;
        byte[] once = write(files, limits, chunk, new Random(0), false);
        byte[] paused = write(files, limits, chunk, new Random(pauseSeed), true);

        assertThat(paused).isEqualTo(once);
        Map<String, byte[]> expected = new LinkedHashMap<>();
        files.forEach(f -> expected.put(f.name(), f.data()));
        assertThat(readWithZipFile(once)).containsExactlyEntriesOf(expected);
        if (!forceZip64) {
            // JDK 17's ZipInputStream reads 8-byte data descriptors only past 4 GiB (fixed in JDK 21).
            assertThat(ZipStreamTest.readWithZipInputStream(once)).containsExactlyEntriesOf(expected);
        }
    }

    @Provide
    Arbitrary<List<File>> archives() {
        Arbitrary<byte[]> text = Arbitraries.strings().withChars("abc \n=0123456789").ofMaxLength(3_000)
                .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
        Arbitrary<byte[]> data = Arbitraries.oneOf(text, noise);
        Arbitrary<Integer> level = Arbitraries.of(0, 1, 6, 9);
        return net.jqwik.api.Combinators.combine(data, level).as((d, l) -> new Object[] {d, l})
                .list().ofMinSize(0).ofMaxSize(8)
                .map(list -> {
                    List<File> files = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        files.add(new File("f" + i + (i % 3 == 0 ? "-ü.log" : ".log"), (byte[]) list.get(i)[0],
                                (Integer) list.get(i)[1]));
                    }
                    return files;
                });
    }

    /** With {@code pausing}, a fresh writer is made from the last state before a random share of the steps. */
    static byte[] write(List<File> files, Zip64Limits limits, int chunk, Random pauses, boolean pausing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZipStream[] zip = {ZipStream.start(out, limits)};
        Runnable maybePause = () -> {
            if (pausing && pauses.nextInt(3) == 0) {
                zip[0] = ZipStream.resume(out, limits, zip[0].state(), zip[0].directory());
            }
        };
        for (File f : files) {
            maybePause.run();
            zip[0].beginEntry(f.name(), TIME, f.data().length, f.level());
            for (int off = 0; off < f.data().length; off += chunk) {
                maybePause.run();
                int n = Math.min(chunk, f.data().length - off);
                zip[0].writeChunk(Arrays.copyOfRange(f.data(), off, off + n), n);
            }
            maybePause.run();
            zip[0].endEntry();
        }
        maybePause.run();
        zip[0].finish();
        return out.toByteArray();
    }

    static Map<String, byte[]> readWithZipFile(byte[] zip) {
        try {
            Path file = Files.createTempFile("zip-property", ".zip");
            try {
                Files.write(file, zip);
                Map<String, byte[]> read = new LinkedHashMap<>();
                try (ZipFile z = new ZipFile(file.toFile())) {
                    for (ZipEntry e : Collections.list(z.entries())) {
                        read.put(e.getName(), z.getInputStream(e).readAllBytes());
                    }
                }
                return read;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
