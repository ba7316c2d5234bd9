package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.config.PlatformResources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    private static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>(Map.of(
                "EXPORTS_TABLE", "exports", "USECASES_TABLE", "usecases",
                "EXPORT_QUEUE_URL", "https://sqs/q", "EXPORT_BUCKET", "bucket", "FANOUT_QUEUE_URL", "https://sqs/f"));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    @Test
    void fromEnv_shouldApplyDefaults() {
        ApiConfig c = ApiConfig.fromEnv(env("CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example"));
        assertThat(c.userIdClaim()).isEqualTo("sub");
        assertThat(c.corsAllowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(c.presignTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.maxActiveExportsPerUser()).as("one full batch fits").isEqualTo(5000);
        assertThat(c.downloadReuseWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(c.stuckAfter()).as("the reconciler's defaults: the longer of 900 s and 1,200 s")
                .isEqualTo(Duration.ofSeconds(1200));
        assertThat(c.localMode()).isFalse();
        assertThat(c.resources()).isEqualTo(new PlatformResources("exports", "usecases", "https://sqs/q", "bucket"));
    }

    @Test
    void fromEnv_shouldReadEveryKnob() {
        ApiConfig c = ApiConfig.fromEnv(env("CORS_ALLOWED_ORIGINS", "https://a.example", "USER_ID_CLAIM", "email",
                "PRESIGN_TTL_SECONDS", "60", "MAX_ACTIVE_EXPORTS_PER_USER", "5",
                "DOWNLOAD_REUSE_WINDOW_SECONDS", "0"));
        assertThat(c.userIdClaim()).isEqualTo("email");
        assertThat(c.presignTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.maxActiveExportsPerUser()).isEqualTo(5);
        assertThat(c.downloadReuseWindow()).isZero();
    }

    @Test
    void stuckAfter_shouldBeTheLongerOfTheReconcilersTwoSilences() {
        assertThat(ApiConfig.fromEnv(env("CORS_ALLOWED_ORIGINS", "https://a", "RECONCILER_QUEUED_GRACE_SECONDS", "60",
                "RECONCILER_STALE_AFTER_SECONDS", "300")).stuckAfter()).isEqualTo(Duration.ofSeconds(300));
        assertThat(ApiConfig.fromEnv(env("CORS_ALLOWED_ORIGINS", "https://a", "RECONCILER_QUEUED_GRACE_SECONDS", "900",
                "RECONCILER_STALE_AFTER_SECONDS", "600")).stuckAfter()).isEqualTo(Duration.ofSeconds(900));
        assertThatThrownBy(() -> ApiConfig.fromEnv(env("CORS_ALLOWED_ORIGINS", "https://a",
                "RECONCILER_QUEUED_GRACE_SECONDS", "0", "RECONCILER_STALE_AFTER_SECONDS", "0")))
                .hasMessageContaining("RECONCILER_STALE_AFTER_SECONDS");
    }

    @Test
    void wildcardOrigin_shouldOnlyBeAllowedInLocalMode() {
        assertThatThrownBy(() -> ApiConfig.fromEnv(env("CORS_ALLOWED_ORIGINS", "*")))
                .hasMessageContaining("LOCAL_MODE");
        assertThat(ApiConfig.fromEnv(env("LOCAL_MODE", "true")).corsAllowedOrigins()).containsExactly("*");
        assertThatThrownBy(() -> ApiConfig.fromEnv(env())).hasMessageContaining("CORS_ALLOWED_ORIGINS");
    }

    @Test
    void badNumbers_shouldFailAtColdStart_namingTheVariable() {
        assertThatThrownBy(() -> ApiConfig.fromEnv(env("CORS_ALLOWED_ORIGINS", "https://a", "PRESIGN_TTL_SECONDS",
                "soon"))).hasMessageContaining("PRESIGN_TTL_SECONDS");
        assertThatThrownBy(() -> ApiConfig.fromEnv(env("CORS_ALLOWED_ORIGINS", "https://a", "PRESIGN_TTL_SECONDS",
                "700000"))).hasMessageContaining("PRESIGN_TTL_SECONDS");
        assertThatThrownBy(() -> ApiConfig.fromEnv(env("CORS_ALLOWED_ORIGINS", "https://a",
                "MAX_ACTIVE_EXPORTS_PER_USER", "0"))).hasMessageContaining("MAX_ACTIVE_EXPORTS_PER_USER");
    }

    @Test
    void envVars_shouldListEveryVariableTheApiReads() {
        assertThat(ApiConfig.ENV_VARS).containsExactlyInAnyOrder("EXPORTS_TABLE", "USECASES_TABLE",
                "EXPORT_QUEUE_URL", "EXPORT_BUCKET", "USER_ID_CLAIM", "CORS_ALLOWED_ORIGINS", "PRESIGN_TTL_SECONDS",
                "MAX_ACTIVE_EXPORTS_PER_USER", "DOWNLOAD_REUSE_WINDOW_SECONDS", "LOCAL_MODE", "AWS_REGION",
                "AWS_ENDPOINT_URL", "COMPLETION_EVENT_BUS", "RECONCILER_QUEUED_GRACE_SECONDS",
                "RECONCILER_STALE_AFTER_SECONDS", "FANOUT_QUEUE_URL");
        assertThat(ApiConfig.IAM_ACTIONS).doesNotHaveDuplicates().allMatch(a -> a.matches("[a-z0-9]+:[A-Za-z]+"));
        assertThat(List.copyOf(ApiConfig.ENV_VARS)).doesNotHaveDuplicates();
    }
}
