package com.mlplatform.logexport.worker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilerConfigTest {

    private static Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("EXPORTS_TABLE", "t", "EXPORT_QUEUE_URL", "q",
                "EXPORT_BUCKET", "b"));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    @Test
    void fromEnv_withOnlyTheResources_usesTheDocumentedDefaults() {
        var config = ReconcilerConfig.fromEnv(env());

        assertThat(config.queuedGrace()).isEqualTo(Duration.ofSeconds(900));
        assertThat(config.staleAfter()).isEqualTo(Duration.ofSeconds(1200));
        assertThat(config.maxRedrives()).isEqualTo(3);
        assertThat(config.maxExportAge()).isEqualTo(Duration.ofSeconds(86_400));
        assertThat(config.orphanAge()).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void fromEnv_readsEveryBound() {
        var config = ReconcilerConfig.fromEnv(env(ReconcilerConfig.ENV_QUEUED_GRACE_SECONDS, "60",
                ReconcilerConfig.ENV_STALE_AFTER_SECONDS, "90", ReconcilerConfig.ENV_MAX_REDRIVES, "0",
                ReconcilerConfig.ENV_MAX_EXPORT_AGE_SECONDS, "3600"));

        assertThat(config).isEqualTo(new ReconcilerConfig("t", "q", "b", Duration.ofSeconds(60),
                Duration.ofSeconds(90), 0, Duration.ofHours(1)));
    }

    @Test
    void fromEnv_refusesABadValue_namingTheVariable() {
        assertThatThrownBy(() -> ReconcilerConfig.fromEnv(env(ReconcilerConfig.ENV_STALE_AFTER_SECONDS, "0")))
                .hasMessageContaining(ReconcilerConfig.ENV_STALE_AFTER_SECONDS);
        assertThatThrownBy(() -> ReconcilerConfig.fromEnv(env(ReconcilerConfig.ENV_MAX_REDRIVES, "-1")))
                .hasMessageContaining(ReconcilerConfig.ENV_MAX_REDRIVES);
        assertThatThrownBy(() -> ReconcilerConfig.fromEnv(Map.of("EXPORTS_TABLE", "t", "EXPORT_QUEUE_URL", "q")))
                .hasMessageContaining("EXPORT_BUCKET");
    }
}
