package com.mlplatform.logexport.worker.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipStreamTest {

    static final Instant TIME = Instant.parse("2026-11-30T01:52:58Z");
    /** Every value reaches its limit: each Zip64 record is written for a few bytes of data. */
    static final Zip64Limits FORCED = new Zip64Limits(1, 0, 0);

    @TempDir
    Path dir;

    @Test
    void standardArchive_isReadByZipFile_ZipInputStream_andPython() throws Exception {
        Map<String, byte[]> files = sampleFiles();
        byte[] zip = write(files, Zip64Limits.STANDARD, 7);

        assertThat(readWithZipFile(zip)).as("ZipFile").containsExactlyEntriesOf(files);
        assertThat(readWithZipInputStream(zip)).as("ZipInputStream").containsExactlyEntriesOf(files);
        assertThat(readWithPython(zip)).as("Python zipfile").containsExactlyEntriesOf(files);
        assertThat(hasSignature(zip, 0x06064b50)).as("no Zip64 end record when nothing needs it").isFalse();
    }

    @Test
    void forcedZip64_writesEveryZip64Record_andZipFileAndPythonStillReadIt() throws Exception {
        Map<String, byte[]> files = sampleFiles();
        byte[] zip = write(files, FORCED, 7);

        assertThat(hasSignature(zip, 0x06064b50)).as("Zip64 end of central directory record").isTrue();
        assertThat(hasSignature(zip, 0x07064b50)).as("Zip64 end locator").isTrue();
        assertThat(endRecordField32(zip, 16)).as("classic end record points to the Zip64 one")
                .isEqualTo(0xFFFFFFFFL);
        assertThat(readWithZipFile(zip)).as("ZipFile").containsExactlyEntriesOf(files);
        assertThat(readWithPython(zip)).as("Python zipfile").containsExactlyEntriesOf(files);
        try (ZipFile z = new ZipFile(store(zip).toFile())) {
            ZipEntry e = z.getEntry("b.log");
            assertThat(e.getSize()).as("sizes come from the Zip64 extra field").isEqualTo(files.get("b.log").length);
        }
    }

    @Test
    void zip64EndRecordsOnly_areReadByZipInputStreamToo() throws Exception {
        // Entry sizes stay classic (ZipInputStream of JDK 17 reads 8-byte descriptors only past 4 GiB), while
        // offsets and the entry count are forced into their Zip64 forms.
        Map<String, byte[]> files = sampleFiles();
        byte[] zip = write(files, new Zip64Limits(Zip64Limits.STANDARD.size(), 0, 0), 5);

        assertThat(hasSignature(zip, 0x06064b50)).isTrue();
        assertThat(readWithZipInputStream(zip)).containsExactlyEntriesOf(files);
        assertThat(readWithZipFile(zip)).containsExactlyEntriesOf(files);
        assertThat(readWithPython(zip)).containsExactlyEntriesOf(files);
    }

    @Test
    void moreThan65535Entries_useTheZip64EntryCount() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 65_540; i++) {
            files.put("e" + i, new byte[0]);
        }
        byte[] zip = write(files, Zip64Limits.STANDARD, 1024);

        assertThat(hasSignature(zip, 0x06064b50)).isTrue();
        try (ZipFile z = new ZipFile(store(zip).toFile())) {
            assertThat(z.size()).isEqualTo(65_540);
        }
        assertThat(readWithPython(zip)).hasSize(65_540);
    }

    @Test
    void pausedAtEveryChunk_writesTheSameBytesAsInOneGo() {
        Map<String, byte[]> files = sampleFiles();
        byte[] once = write(files, FORCED, 7);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZipStream.State state = ZipStream.State.EMPTY;
        byte[] directory = new byte[0];
        for (var f : files.entrySet()) {
            byte[] data = f.getValue();
            ZipStream begun = ZipStream.resume(out, FORCED, state, directory);
            begun.beginEntry(f.getKey(), TIME, data.length, level(f.getKey()));
            state = begun.state();
            directory = begun.directory();
            for (int off = 0; off < data.length; off += 7) {
                // A new writer for every chunk, as a new invocation would make from the checkpoint.
                ZipStream zip = ZipStream.resume(out, FORCED, state, directory);
                int n = Math.min(7, data.length - off);
                zip.writeChunk(java.util.Arrays.copyOfRange(data, off, off + n), n);
                state = zip.state();
                directory = zip.directory();
            }
            ZipStream zip = ZipStream.resume(out, FORCED, state, directory);
            zip.endEntry();
            state = zip.state();
            directory = zip.directory();
        }
        ZipStream.resume(out, FORCED, state, directory).finish();

        assertThat(out.toByteArray()).isEqualTo(once);
    }

    static Map<String, byte[]> sampleFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("manifest.json", "{\"entries\":[]}\n".getBytes(StandardCharsets.UTF_8));
        files.put("empty.log", new byte[0]);
        files.put("b.log", "line one\nline two\nline two\nline two\n".repeat(20).getBytes(StandardCharsets.UTF_8));
        byte[] noise = new byte[1000];
        new Random(7).nextBytes(noise);
        files.put("already.log.gz", noise);
        files.put("ünïcode-名前.log", "héllo\n".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    static int level(String name) {
        return name.endsWith(".gz") ? 0 : 6;
    }

    static byte[] write(Map<String, byte[]> files, Zip64Limits limits, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZipStream zip = ZipStream.start(out, limits);
        for (var f : files.entrySet()) {
            byte[] data = f.getValue();
            zip.beginEntry(f.getKey(), TIME, data.length, level(f.getKey()));
            for (int off = 0; off < data.length; off += chunk) {
                int n = Math.min(chunk, data.length - off);
                zip.writeChunk(java.util.Arrays.copyOfRange(data, off, off + n), n);
            }
            zip.endEntry();
        }
        zip.finish();
        return out.toByteArray();
    }

    Path store(byte[] zip) throws IOException {
        Path file = Files.createTempFile(dir, "archive", ".zip");
        Files.write(file, zip);
        return file;
    }

    Map<String, byte[]> readWithZipFile(byte[] zip) throws IOException {
        Map<String, byte[]> read = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(store(zip).toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                read.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return read;
    }

    static Map<String, byte[]> readWithZipInputStream(byte[] zip) throws IOException {
        Map<String, byte[]> read = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                read.put(e.getName(), in.readAllBytes());
            }
        }
        return read;
    }

    /** Python's zipfile (testzip checks every CRC), entries printed as name and hex content. */
    Map<String, byte[]> readWithPython(byte[] zip) throws Exception {
        Path file = store(zip);
        String script = "import sys, zipfile\n"
                + "z = zipfile.ZipFile(sys.argv[1])\n"
                + "assert z.testzip() is None\n"
                + "for i in z.infolist():\n"
                + "    print(i.filename.encode('utf-8').hex(), z.read(i).hex())\n";
        Process p = new ProcessBuilder(python(), "-c", script, file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        Map<String, byte[]> read = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" ", -1);
            read.put(new String(java.util.HexFormat.of().parseHex(parts[0]), StandardCharsets.UTF_8),
                    java.util.HexFormat.of().parseHex(parts[1]));
        }
        return read;
    }

    static String python() {
        Path venv = Path.of("..", ".venv", "bin", "python3");
        return Files.isExecutable(venv) ? venv.toString() : "python3";
    }

    static boolean hasSignature(byte[] zip, int signature) {
        for (int i = 0; i + 4 <= zip.length; i++) {
            if (u32(zip, i) == (signature & 0xFFFFFFFFL)) {
                return true;
            }
        }
        return false;
    }

    /** A 4-byte field of the classic end record (the archive's last 22 bytes). */
    static long endRecordField32(byte[] zip, int offset) {
        return u32(zip, zip.length - 22 + offset);
    }

    static long u32(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24;
    }
}
