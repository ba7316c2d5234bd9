package com.mlplatform.logexport.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.usecase.UseCase;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessControlTest {

    private final Map<String, UseCase> registry = new HashMap<>(Map.of(
            "uc-a", new UseCase("uc-a", "111111111111", "arn:aws:iam::111111111111:role/r", "x", "us-east-1", null,
                    Set.of("alice"))));
    private final AccessControl access = new AccessControl(id -> Optional.ofNullable(registry.get(id)));
    private final ExportJob job = ExportJob.queued("exp-0123456789abcdefghjkmnpqrs", "uc-a", "job-1", "alice",
            ExportOptions.DEFAULT, null, Instant.now());

    @Test
    void caller_shouldComeFromTheConfiguredClaimOnly() {
        assertThat(Caller.fromClaims(Map.of("sub", "alice", "email", "a@x"), "sub")).isEqualTo(new Caller("alice"));
        assertThat(Caller.fromClaims(Map.of("sub", "s", "email", "a@x"), "email")).isEqualTo(new Caller("a@x"));
        assertThatThrownBy(() -> Caller.fromClaims(Map.of("email", "a@x"), "sub"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        assertThatThrownBy(() -> Caller.fromClaims(Map.of("sub", " "), "sub")).isInstanceOf(ApiException.class);
    }

    @Test
    void requireMember_shouldBe404ForUnknownUseCase_and403ForNonMember() {
        assertThat(access.requireMember("uc-a", new Caller("alice")).usecaseId()).isEqualTo("uc-a");
        assertThatThrownBy(() -> access.requireMember("uc-zz", new Caller("alice")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> access.requireMember("uc-a", new Caller("mallory")))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED));
    }

    @Test
    void requireVisible_shouldAnswerTheSame404_forMissingExportsAndOtherTenantsExports() {
        assertThat(access.requireVisible(Optional.of(job), new Caller("alice"), "Export x")).isEqualTo(job);
        ApiException missing = catchApi(() -> access.requireVisible(Optional.empty(), new Caller("alice"), "Export x"));
        ApiException foreign = catchApi(() -> access.requireVisible(Optional.of(job), new Caller("mallory"),
                "Export x"));
        assertThat(foreign.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(foreign.getMessage()).as("indistinguishable from a missing export").isEqualTo(missing.getMessage());
    }

    @Test
    void membership_shouldBeReadEveryTime_soRemovalRevokesAtOnce() {
        assertThat(access.canSee("uc-a", new Caller("alice"))).isTrue();
        registry.put("uc-a", new UseCase("uc-a", "111111111111", "arn:aws:iam::111111111111:role/r", "x",
                "us-east-1", null, Set.of("bob")));
        assertThat(access.canSee("uc-a", new Caller("alice"))).isFalse();
    }

    private static ApiException catchApi(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected an ApiException");
    }
}
