package com.mlplatform.logexport.local.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SeedFileTest {

    private static SeedFile parse(String json) {
        return SeedFile.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test seed");
    }

    @Test
    void demo_shouldHaveTwoUseCasesInTheirOwnAccounts_withMembers() {
        SeedFile demo = SeedFile.demo();

        assertThat(demo.usecases()).hasSize(2);
        assertThat(demo.usecases()).extracting(SeedFile.UseCaseSeed::accountId).doesNotHaveDuplicates()
                .doesNotContain(SeedLoader.PLATFORM_ACCOUNT);
        assertThat(demo.usecases()).allSatisfy(u -> assertThat(u.members()).isNotEmpty());
    }

    @Test
    void demo_shouldHaveAMultiHostJob_withThousandsOfLines_epochsLossAWarningAndAStackTrace() {
        var job = jobs().stream().filter(j -> j.streams().stream().map(SeedFile.Stream::host).distinct().count() >= 2)
                .findFirst().orElseThrow();
        var hosts = job.streams().stream().map(SeedFile.Stream::host).distinct().count();
        String text = job.streams().stream().flatMap(s -> s.events().stream()).map(SeedFile.Event::message)
                .collect(Collectors.joining("\n"));
        long lines = job.streams().stream().mapToLong(s -> s.events().size()).sum();

        assertThat(hosts).as("hosts").isBetween(2L, 4L);
        assertThat(lines).as("log lines").isGreaterThanOrEqualTo(2_000);
        assertThat(text).contains("Epoch 1/", "loss=", "Warning", "Traceback (most recent call last):");
    }

    @Test
    void demo_shouldHaveAHostThatRestarted_andAJobWithoutLogs() {
        assertThat(jobs()).anySatisfy(j -> {
            Map<String, Long> streamsPerHost = j.streams().stream()
                    .collect(Collectors.groupingBy(SeedFile.Stream::host, Collectors.counting()));
            assertThat(streamsPerHost.values()).as(j.name()).contains(2L);
        });
        assertThat(jobs()).anySatisfy(j -> assertThat(j.streams()).as(j.name()).isEmpty());
    }

    @Test
    void demo_shouldUseOnlyRelativeTimes_soItLoadsOnAnyDay() {
        assertThat(jobs().stream().flatMap(j -> j.streams().stream()))
                .allSatisfy(s -> {
                    assertThat(s.startedAt()).startsWith("-");
                    assertThat(s.events()).allSatisfy(e -> assertThat(e.at()).startsWith("+"));
                });
    }

    @Test
    void toJson_shouldReadBackEqual() {
        SeedFile demo = SeedFile.demo();

        assertThat(parse(demo.toJson())).isEqualTo(demo);
    }

    @Test
    void parse_shouldNameAnUnknownField() {
        assertThatThrownBy(() -> parse("""
                {"usecases":[{"id":"u","accountId":"111111111111","memebers":["a"]}]}"""))
                .isInstanceOf(SeedFile.SeedException.class)
                .hasMessageContaining("memebers");
    }

    @Test
    void parse_shouldListEveryProblem_withWhereItIs() {
        assertThatThrownBy(() -> parse("""
                {"usecases":[
                  {"id":"a b","accountId":"123456789012","region":"eu-west-1",
                   "trainingJobs":[{"name":"job_1","streams":[{"host":"algo-1"}]}]},
                  {"id":"ok","accountId":"12345",
                   "trainingJobs":[{"name":"j","streams":[{"name":"j/algo-1-1","events":[{"message":""}]}]}]}
                ]}"""))
                .isInstanceOf(SeedFile.SeedException.class)
                .hasMessageContaining("usecases[0] (a b): id must be")
                .hasMessageContaining("platform's own account")
                .hasMessageContaining("region eu-west-1 is not supported")
                .hasMessageContaining("trainingJobs[0] (job_1): name must be")
                .hasMessageContaining("give a name, or a host and startedAt")
                .hasMessageContaining("usecases[1] (ok): accountId must be 12 digits")
                .hasMessageContaining("message must not be empty")
                .hasMessageContaining("at is required");
    }

    @Test
    void parse_shouldRefuseTwoUseCasesInOneAccount_withDifferentExternalIds() {
        assertThatThrownBy(() -> parse("""
                {"usecases":[{"id":"a","accountId":"111111111111","externalId":"x"},
                             {"id":"b","accountId":"111111111111","externalId":"y"}]}"""))
                .hasMessageContaining("one read role");
    }

    @Test
    void parse_shouldKeepAnyUnicode() {
        SeedFile seed = parse("""
                {"usecases":[{"id":"u","accountId":"111111111111","trainingJobs":[{"name":"j","streams":[
                  {"host":"algo-1","startedAt":"-1h","events":[{"at":"+1s","message":"损失 ✓ 🙂 \\u0000 é\\nnext"}]}]}]}]}""");

        assertThat(seed.usecases().get(0).trainingJobs().get(0).streams().get(0).events().get(0).message())
                .isEqualTo("损失 ✓ 🙂 \u0000 é\nnext");
    }

    private static List<SeedFile.TrainingJob> jobs() {
        return SeedFile.demo().usecases().stream().flatMap(u -> u.trainingJobs().stream()).toList();
    }
}
