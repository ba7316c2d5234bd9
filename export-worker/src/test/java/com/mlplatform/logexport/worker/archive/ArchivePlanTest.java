package com.mlplatform.logexport.worker.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.archive.ArchiveMember;
import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import com.mlplatform.logexport.shared.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchivePlanTest {

    static final Instant CREATED = Instant.parse("2026-11-30T01:52:58Z");

    static ArchiveMember file(String training, String exportId, String filename, long size, boolean gz) {
        return new ArchiveMember(training, exportId, ArchiveMember.SUCCEEDED, "exports/uc/" + exportId + "/f",
                filename, size, 7, gz, null, null);
    }

    @Test
    void plan_putsTheManifestFirst_andMakesRepeatedNamesUnique_beforeTheirFirstDot() throws Exception {
        ArchiveMembers members = new ArchiveMembers("bat-1", "uc", List.of(
                file("job", "exp-1", "job-logs-20261130T015258Z.log", 10, false),
                file("job", "exp-2", "job-logs-20261130T015258Z.log", 20, false),
                file("job", "exp-3", "job-logs-20261130T015258Z.log", 30, false),
                file("zipped", "exp-4", "zipped-logs-20261130T015258Z.log.gz", 40, true),
                new ArchiveMember("broken", "exp-5", "FAILED", null, null, 0, 0, false, "NO_LOGS", "No logs."),
                ArchiveMember.rejected("not/valid", "INVALID_REQUEST", "trainingId is not valid")));

        ArchivePlan plan = ArchivePlan.of(members, "uc-batch-bat-1.zip", CREATED);

        assertThat(plan.entries()).extracting(ArchiveEntry::name).containsExactly("manifest.json",
                "job-logs-20261130T015258Z.log", "job-logs-20261130T015258Z-2.log",
                "job-logs-20261130T015258Z-3.log", "zipped-logs-20261130T015258Z.log.gz");
        assertThat(plan.entries().get(4).level()).as("gzip files are copied, not deflated again").isZero();
        assertThat(plan.eventsBefore(3)).isEqualTo(14);
        JsonNode manifest = Json.MAPPER.readTree(plan.manifest());
        assertThat(manifest.get("archived").asInt()).isEqualTo(4);
        assertThat(manifest.get("notArchived").asInt()).isEqualTo(2);
        assertThat(manifest.at("/exports/1/file").asText()).isEqualTo("job-logs-20261130T015258Z-2.log");
        assertThat(manifest.at("/exports/1/sizeBytes").asLong()).isEqualTo(20);
        assertThat(manifest.at("/exports/4/error/code").asText()).isEqualTo("NO_LOGS");
        assertThat(manifest.at("/exports/5/status").asText()).isEqualTo("REJECTED");
        assertThat(ArchivePlan.of(members, "uc-batch-bat-1.zip", CREATED).manifest())
                .as("the same snapshot gives the same manifest, byte for byte").isEqualTo(plan.manifest());
    }
}
