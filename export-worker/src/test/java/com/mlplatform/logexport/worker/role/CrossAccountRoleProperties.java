package com.mlplatform.logexport.worker.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.session.InvalidSessionNameException;
import com.mlplatform.logexport.shared.session.SessionName;
import com.mlplatform.logexport.shared.session.SessionNameGenerator;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.worker.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Seed property 6 where it matters, at the AssumeRole call: every name sent is valid, and an invalid one cannot be
 * sent. STS here is a recorder of requests (the emulator ITs use the real STS of the emulator).
 */
class CrossAccountRoleProperties {

    private static final UseCase USE_CASE = new UseCase("uc", "111111111111",
            "arn:aws:iam::111111111111:role/PlatformLogExportReadRole", "ext-9", "us-east-1", null, Set.of());

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-15T10:00:00Z"));
    private final List<AssumeRoleRequest> sent = new ArrayList<>();

    private AssumeRoleResponse answer(AssumeRoleRequest r) {
        sent.add(r);
        return AssumeRoleResponse.builder().credentials(Credentials.builder().accessKeyId("ASIA" + sent.size())
                .secretAccessKey("s").sessionToken("t").expiration(clock.instant().plus(Duration.ofHours(1)))
                .build()).build();
    }

    @Property
    void property6_everyAssumeRoleCall_carriesAValidSessionName(@ForAll("userIds") String userId) {
        sent.clear();
        var role = new CrossAccountRole(this::answer, USE_CASE, userId, clock, Duration.ofHours(1));
        role.resolveCredentials();

        assertThat(sent).hasSize(1);
        AssumeRoleRequest r = sent.get(0);
        assertThat(SessionNameGenerator.validate(r.roleSessionName())).as(r.roleSessionName()).isTrue();
        assertThat(r.roleSessionName()).startsWith("logs-");
        assertThat(r.externalId()).isEqualTo("ext-9");
        assertThat(r.roleArn()).isEqualTo(USE_CASE.roleArn());
        if (r.sourceIdentity() != null) {
            assertThat(r.sourceIdentity()).as("full user id, only where AWS accepts it").isEqualTo(userId)
                    .matches("[\\w+=,.@-]{2,64}");
        }
    }

    @Property
    void property6_anInvalidName_isRefusedBeforeAnyCall(@ForAll("rawNames") String raw) {
        sent.clear();
        var role = new CrossAccountRole(this::answer, USE_CASE, "alice", clock, Duration.ofHours(1));
        if (SessionNameGenerator.validate(raw)) {
            role.assume(new SessionName(raw));
            assertThat(sent).extracting(AssumeRoleRequest::roleSessionName).containsExactly(raw);
        } else {
            assertThatThrownBy(() -> role.assume(new SessionName(raw)))
                    .isInstanceOf(InvalidSessionNameException.class);
            assertThat(sent).as("nothing sent to STS").isEmpty();
        }
    }

    @Example
    void credentials_areReused_thenRefreshedBeforeExpiry_andOnDemand() {
        var role = new CrossAccountRole(this::answer, USE_CASE, "alice", clock, Duration.ofHours(1));
        var first = (AwsSessionCredentials) role.resolveCredentials();
        assertThat(role.resolveCredentials()).isSameAs(first);
        clock.advance(Duration.ofMinutes(56));
        assertThat(role.resolveCredentials()).as("within 5 minutes of expiry: refreshed").isNotSameAs(first);
        role.refresh();
        role.resolveCredentials();
        assertThat(role.assumeCount()).isEqualTo(3);
    }

    @Example
    void accessDenied_onAssumeRole_becomesAccessDenied_namingTheRole() {
        var role = new CrossAccountRole(r -> {
            throw StsException.builder().statusCode(403).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("AccessDenied").errorMessage("User: arn:aws:sts::999:assumed-role/x is not authorized")
                    .build()).build();
        }, USE_CASE, "alice", clock, Duration.ofHours(1));
        assertThatThrownBy(role::resolveCredentials).isInstanceOfSatisfying(JobFailure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(f.userMessage()).contains("PlatformLogExportReadRole", "111111111111", "external id")
                    .doesNotContain("arn:aws:sts::999");
        });
    }

    @Provide
    Arbitrary<String> userIds() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(1100),
                Arbitraries.strings().withCharRange('a', 'z').withChars('@', '.', '-').ofMinLength(1).ofMaxLength(80));
    }

    @Provide
    Arbitrary<String> rawNames() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withCharRange('a', 'z').withChars('-', '=').ofMinLength(0).ofMaxLength(70));
    }
}
