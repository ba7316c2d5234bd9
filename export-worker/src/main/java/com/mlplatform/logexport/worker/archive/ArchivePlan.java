package com.mlplatform.logexport.worker.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.mlplatform.logexport.shared.archive.ArchiveMember;
import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import com.mlplatform.logexport.shared.json.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;

/**
 * What the archive of one batch holds, in order: {@value #MANIFEST} first, then the file of every SUCCEEDED
 * member under its download name, made unique ({@code name-2.log}, {@code name-3.log}, … before the first dot).
 * A pure function of the member snapshot and the archive's creation time, so every invocation that builds the
 * archive sees the same entries with the same names, and the manifest the same bytes.
 */
public record ArchivePlan(List<ArchiveEntry> entries, byte[] manifest) {

    public static final String MANIFEST = "manifest.json";

    public ArchivePlan {
        entries = List.copyOf(entries);
    }

    public static ArchivePlan of(ArchiveMembers snapshot, String archiveName, Instant createdAt) {
        Set<String> used = new HashSet<>(Set.of(MANIFEST));
        List<ArchiveEntry> files = new ArrayList<>();
        List<ManifestLine> lines = new ArrayList<>();
        for (ArchiveMember m : snapshot.members()) {
            if (m.hasFile()) {
                String name = unique(m.filename(), used);
                files.add(new ArchiveEntry(name, m.key(), m.sizeBytes(),
                        m.compressed() ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION, m.events()));
                lines.add(new ManifestLine(m.trainingId(), m.exportId(), m.status(), name, m.sizeBytes(),
                        m.events(), null));
            } else {
                lines.add(new ManifestLine(m.trainingId(), m.exportId(), m.status(), null, null, null,
                        m.errorCode() == null ? null : new ErrorLine(m.errorCode(), m.errorMessage())));
            }
        }
        byte[] manifest = manifest(new Manifest(snapshot.batchId(), snapshot.usecaseId(), archiveName,
                createdAt.toString(), files.size(), lines.size() - files.size(), lines));
        List<ArchiveEntry> entries = new ArrayList<>(files.size() + 1);
        entries.add(new ArchiveEntry(MANIFEST, null, manifest.length, Deflater.DEFAULT_COMPRESSION, 0));
        entries.addAll(files);
        return new ArchivePlan(entries, manifest);
    }

    /** Events of the exports in entries {@code [0, entries)}. */
    public long eventsBefore(int entries) {
        return this.entries.subList(0, entries).stream().mapToLong(ArchiveEntry::events).sum();
    }

    static String unique(String name, Set<String> used) {
        String candidate = name;
        int dot = name.indexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        String extension = dot < 0 ? "" : name.substring(dot);
        for (int n = 2; !used.add(candidate); n++) {
            candidate = stem + "-" + n + extension;
        }
        return candidate;
    }

    /** manifest.json: the batch, and one line per training id in the order the batch status lists them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Manifest(String batchId, String usecaseId, String archive, String createdAt, int archived,
                    int notArchived, List<ManifestLine> exports) {
    }

    /** A SUCCEEDED export: its entry's name, size and event count; any other: its status and error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ManifestLine(String trainingId, String exportId, String status, String file, Long sizeBytes,
                        Long events, ErrorLine error) {
    }

    record ErrorLine(String code, String message) {
    }

    private static byte[] manifest(Manifest m) {
        try {
            return (Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
