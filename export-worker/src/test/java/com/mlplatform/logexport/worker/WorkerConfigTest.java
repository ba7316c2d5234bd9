package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerConfigTest {

    private static Map<String, String> env(String roleSessionSeconds) {
        Map<String, String> env = new HashMap<>(Map.of("EXPORTS_TABLE", "exports", "USECASES_TABLE", "usecases",
                "EXPORT_QUEUE_URL", "http://queue", "EXPORT_BUCKET", "bucket"));
        env.put(WorkerConfig.ENV_ROLE_SESSION_SECONDS, roleSessionSeconds);
        return env;
    }

    @ParameterizedTest
    @ValueSource(strings = {"900", "1800", "3600"})
    void roleSession_within15MinutesAndAnHour_isAccepted(String seconds) {
        assertThat(WorkerConfig.fromEnv(env(seconds)).roleSessionDuration())
                .isEqualTo(Duration.ofSeconds(Long.parseLong(seconds)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"899", "3601", "43200"})
    void roleSession_thatAssumeRoleChainingCannotGrant_isRefusedAtColdStart_namingTheVariable(String seconds) {
        assertThatThrownBy(() -> WorkerConfig.fromEnv(env(seconds)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(WorkerConfig.ENV_ROLE_SESSION_SECONDS)
                .hasMessageContaining("3600");
    }
}
