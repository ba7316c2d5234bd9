package com.mlplatform.logexport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPipelineAppTest {

    @TempDir
    Path dir;

    @Test
    void parse_shouldResolveTheSeedAgainstTheCallersDirectory() throws Exception {
        Files.writeString(dir.resolve("mine.json"), "{}");

        var args = LocalPipelineApp.Arguments.parse(new String[] {"--seed", "mine.json", "--port", "9090",
                "--worker-timeout", "20", "--visibility-timeout", "40", "--no-smoke"}, dir);

        assertThat(args.options().seed()).contains(dir.resolve("mine.json"));
        assertThat(args.options().port()).isEqualTo(9090);
        assertThat(args.options().workerTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(args.options().visibilityTimeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(args.smoke()).isFalse();
    }

    @Test
    void parse_shouldDefaultToTheDemoOnPort8080() {
        var args = LocalPipelineApp.Arguments.parse(new String[0], dir);

        assertThat(args.options().seed()).isEmpty();
        assertThat(args.options().port()).isEqualTo(8080);
        assertThat(args.smoke()).isTrue();
    }

    @Test
    void parse_shouldRefuseWhatItCannotUse() {
        assertThatThrownBy(() -> LocalPipelineApp.Arguments.parse(new String[] {"--seed", "missing.json"}, dir))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> LocalPipelineApp.Arguments.parse(new String[] {"--port", "0"}, dir))
                .hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> LocalPipelineApp.Arguments.parse(new String[] {"--port"}, dir))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LocalPipelineApp.Arguments.parse(new String[] {"--bogus"}, dir))
                .hasMessageContaining("unknown option");
        assertThatThrownBy(() -> LocalPipelineApp.Arguments.parse(
                new String[] {"--worker-timeout", "60", "--visibility-timeout", "30"}, dir))
                .hasMessageContaining("at least the worker timeout");
    }
}
