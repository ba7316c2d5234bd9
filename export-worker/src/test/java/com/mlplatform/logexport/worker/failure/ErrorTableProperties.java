package com.mlplatform.logexport.worker.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.worker.logs.CloudWatchLogSource;
import com.mlplatform.logexport.worker.role.CrossAccountRole;
import com.mlplatform.logexport.worker.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Seed property 3 and the seed design's error table, stated literally (not re-derived from
 * {@link AwsFailures#classify}):
 *
 * <pre>
 * ResourceNotFoundException                  → NO_LOGS 404 "No logs available yet"
 * AccessDeniedException / AssumeRole denied  → ACCESS_DENIED 403
 * ThrottlingException, 5xx                   → retry with backoff, not a failure
 * InvalidParameterException / InvalidParameterValue / ValidationError (e.g. a bad session name on AssumeRole)
 *                                            → INVALID_REQUEST 400
 * ExpiredToken                               → refresh the credentials and retry, not a failure
 * anything unexpected                        → INTERNAL 500 (the worker's catch-all)
 * </pre>
 *
 * For any row and any AWS message text the user sees the row's code and status with a message written for people,
 * and nothing of AWS's own message (which can name principals and ARNs): the user message is the same whatever AWS
 * said.
 */
class ErrorTableProperties {

    private static final String SECRET = "arn:aws:iam::999999999999:role/OtherTenant AKIAEXAMPLESECRET";
    private static final String ROLE_ARN = "arn:aws:iam::111111111111:role/PlatformLogExportReadRole";
    private static final RoleRef ROLE = RoleRef.fromArn(ROLE_ARN);
    private static final UseCase USE_CASE = new UseCase("uc", "111111111111", ROLE_ARN, "ext-9", "us-east-1", null,
            Set.of());
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    enum Origin { CLOUDWATCH_LOGS, STS_ASSUME_ROLE }

    /** What the worker does with an error: fail the job with a code, back off, refresh credentials, or INTERNAL. */
    enum Outcome { NO_LOGS, ACCESS_DENIED, INVALID_REQUEST, RETRY, REFRESH, INTERNAL }

    record Row(Origin origin, String awsCode, int awsStatus, Outcome outcome) {
    }

    /** The error table, literally. Status codes are the ones AWS sends for these errors. */
    static final List<Row> TABLE = List.of(
            // CloudWatch Logs (DescribeLogStreams / GetLogEvents with the use case's role)
            new Row(Origin.CLOUDWATCH_LOGS, "ResourceNotFoundException", 400, Outcome.NO_LOGS),
            new Row(Origin.CLOUDWATCH_LOGS, "AccessDeniedException", 400, Outcome.ACCESS_DENIED),
            new Row(Origin.CLOUDWATCH_LOGS, "AccessDeniedException", 403, Outcome.ACCESS_DENIED),
            new Row(Origin.CLOUDWATCH_LOGS, "InvalidParameterException", 400, Outcome.INVALID_REQUEST),
            new Row(Origin.CLOUDWATCH_LOGS, "ThrottlingException", 400, Outcome.RETRY),
            new Row(Origin.CLOUDWATCH_LOGS, "TooManyRequestsException", 429, Outcome.RETRY),
            new Row(Origin.CLOUDWATCH_LOGS, "ServiceUnavailableException", 503, Outcome.RETRY),
            new Row(Origin.CLOUDWATCH_LOGS, "InternalFailure", 500, Outcome.RETRY),
            new Row(Origin.CLOUDWATCH_LOGS, "ExpiredTokenException", 400, Outcome.REFRESH),
            new Row(Origin.CLOUDWATCH_LOGS, "DataAlreadyAcceptedException", 400, Outcome.INTERNAL),
            new Row(Origin.CLOUDWATCH_LOGS, "UnknownFutureError", 400, Outcome.INTERNAL),
            new Row(Origin.CLOUDWATCH_LOGS, "OperationAbortedException", 409, Outcome.INTERNAL),
            // STS AssumeRole into the use case's account
            new Row(Origin.STS_ASSUME_ROLE, "AccessDenied", 403, Outcome.ACCESS_DENIED),
            new Row(Origin.STS_ASSUME_ROLE, "InvalidParameterValue", 400, Outcome.INVALID_REQUEST),
            new Row(Origin.STS_ASSUME_ROLE, "ValidationError", 400, Outcome.INVALID_REQUEST),
            new Row(Origin.STS_ASSUME_ROLE, "InvalidParameterException", 400, Outcome.INVALID_REQUEST),
            new Row(Origin.STS_ASSUME_ROLE, "ExpiredToken", 400, Outcome.REFRESH),
            new Row(Origin.STS_ASSUME_ROLE, "Throttling", 400, Outcome.RETRY),
            new Row(Origin.STS_ASSUME_ROLE, "InternalFailure", 500, Outcome.RETRY),
            new Row(Origin.STS_ASSUME_ROLE, "MalformedPolicyDocument", 400, Outcome.INTERNAL),
            new Row(Origin.STS_ASSUME_ROLE, "PackedPolicyTooLarge", 400, Outcome.INTERNAL));

    // ---- the table, row by row, with the user-facing code, status and message -----------------------------------

    @Example
    void resourceNotFound_isNoLogs404_noLogsAvailableYet() {
        JobFailure f = failure(translate(cloudWatch("ResourceNotFoundException", 400, SECRET)));
        assertThat(f.code()).isEqualTo(ErrorCode.NO_LOGS);
        assertThat(f.code().httpStatus()).isEqualTo(404);
        assertThat(f.userMessage()).startsWith("No logs available yet").contains("job-1");
    }

    @Example
    void accessDeniedOnLogs_isAccessDenied403_namingRoleAndPermission() {
        JobFailure f = failure(translate(cloudWatch("AccessDeniedException", 400, SECRET)));
        assertThat(f.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(f.code().httpStatus()).isEqualTo(403);
        assertThat(f.userMessage()).contains("PlatformLogExportReadRole", "111111111111", "logs:GetLogEvents");
    }

    @Example
    void throttling_isRetriedWithBackoff_notAFailure() {
        assertThat(translate(cloudWatch("ThrottlingException", 400, SECRET)))
                .isInstanceOfSatisfying(RetryableFailure.class,
                        r -> assertThat(r.kind()).isEqualTo(RetryableFailure.Kind.THROTTLED));
        assertThat(assumeRole(sts("Throttling", 400, SECRET)))
                .isInstanceOfSatisfying(RetryableFailure.class,
                        r -> assertThat(r.kind()).isEqualTo(RetryableFailure.Kind.THROTTLED));
    }

    @Example
    void invalidParameter_isInvalidRequest400() {
        JobFailure f = failure(translate(cloudWatch("InvalidParameterException", 400, SECRET)));
        assertThat(f.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(f.code().httpStatus()).isEqualTo(400);
    }

    @Example
    void assumeRoleAccessDenied_isAccessDenied403_pointingAtTheTrustPolicy() {
        JobFailure f = failure(assumeRole(sts("AccessDenied", 403,
                "User: arn:aws:sts::999999999999:assumed-role/x is not authorized")));
        assertThat(f.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(f.code().httpStatus()).isEqualTo(403);
        assertThat(f.userMessage()).contains("PlatformLogExportReadRole", "111111111111", "trust policy",
                "external id");
    }

    /** What STS answers for a RoleSessionName outside [\w+=,.@-]{2,64}, under each code it uses for it. */
    @ParameterizedTest
    @ValueSource(strings = {"ValidationError", "InvalidParameterValue", "InvalidParameterException"})
    void assumeRoleRefusingTheSessionName_isInvalidRequest400(String code) {
        JobFailure f = failure(assumeRole(sts(code, 400, "1 validation error detected: Value at "
                + "'roleSessionName' failed to satisfy constraint")));
        assertThat(f.code()).as(code).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(f.code().httpStatus()).isEqualTo(400);
        assertThat(f.userMessage()).contains("session name", "PlatformLogExportReadRole")
                .doesNotContain("validation error detected");
    }

    @Example
    void expiredToken_meansFreshCredentials_notAFailure() {
        assertThat(translate(cloudWatch("ExpiredTokenException", 400, SECRET))).isInstanceOf(ExpiredCredentials.class);
        assertThat(assumeRole(sts("ExpiredToken", 400, SECRET))).isInstanceOf(ExpiredCredentials.class);
    }

    @Example
    void anythingUnexpected_isLeftForTheCatchAll_whichMakesItInternal500() {
        SdkException e = cloudWatch("DataAlreadyAcceptedException", 400, SECRET);
        assertThat(translate(e)).as("not dressed up as a known failure; ExportWorker turns it into INTERNAL")
                .isSameAs(e);
        SdkException s = sts("MalformedPolicyDocument", 400, SECRET);
        assertThat(assumeRole(s)).isSameAs(s);
        assertThat(ErrorCode.INTERNAL.httpStatus()).isEqualTo(500);
    }

    // ---- every row, any AWS message text ------------------------------------------------------------------------

    @Property
    void property3_everyRowOfTheTable_forAnyAwsMessage(@ForAll("rows") Row row, @ForAll("awsMessages") String text) {
        Throwable outcome = raise(row, text);

        switch (row.outcome()) {
            case RETRY -> assertThat(outcome).as("%s: backoff, not a failure", row)
                    .isInstanceOf(RetryableFailure.class);
            case REFRESH -> assertThat(outcome).as("%s: fresh credentials", row)
                    .isInstanceOf(ExpiredCredentials.class);
            case INTERNAL -> assertThat(outcome).as("%s: left for the INTERNAL catch-all", row)
                    .isInstanceOf(SdkException.class).isNotInstanceOf(JobFailure.class);
            default -> {
                ErrorCode code = ErrorCode.valueOf(row.outcome().name());
                assertThat(outcome).as("%s", row).isInstanceOf(JobFailure.class);
                JobFailure f = (JobFailure) outcome;
                assertThat(f.code()).as("%s", row).isEqualTo(code);
                assertThat(f.code().httpStatus()).isEqualTo(switch (row.outcome()) {
                    case NO_LOGS -> 404;
                    case ACCESS_DENIED -> 403;
                    case INVALID_REQUEST -> 400;
                    default -> throw new AssertionError(row);
                });
                assertThat(f.userMessage()).isNotBlank().doesNotContain("999999999999", "AKIA", "OtherTenant");
                assertThat(f.userMessage()).as("AWS's text never reaches the user: same message whatever it said")
                        .isEqualTo(((JobFailure) raise(row, "neutral")).userMessage());
            }
        }
    }

    @Property(tries = 50)
    void networkFaults_areRetried(@ForAll("awsMessages") String message) {
        assertThat(translate(SdkClientException.create(message))).isInstanceOf(RetryableFailure.class);
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private static Throwable raise(Row row, String text) {
        return switch (row.origin()) {
            case CLOUDWATCH_LOGS -> translate(cloudWatch(row.awsCode(), row.awsStatus(), text));
            case STS_ASSUME_ROLE -> assumeRole(sts(row.awsCode(), row.awsStatus(), text));
        };
    }

    private static SdkException cloudWatch(String code, int status, String message) {
        return CloudWatchLogsException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .serviceName("CloudWatchLogs").build())
                .statusCode(status).message(message).build();
    }

    private static SdkException sts(String code, int status, String message) {
        return StsException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .serviceName("Sts").build())
                .statusCode(status).message(message).build();
    }

    /** What the CloudWatch Logs reader throws for {@code e}; an unknown error is returned as itself. */
    private static Throwable translate(SdkException e) {
        return catchThrowable(() -> {
            throw CloudWatchLogSource.translate(e, "logs:GetLogEvents", "job-1", "/aws/sagemaker/TrainingJobs", ROLE);
        });
    }

    /** What obtaining the use case's credentials throws when STS answers AssumeRole with {@code e}. */
    private static Throwable assumeRole(SdkException e) {
        CrossAccountRole role = new CrossAccountRole(request -> {
            throw e;
        }, USE_CASE, "alice@example.com", new ManualClock(NOW), Duration.ofHours(1));
        Throwable thrown = catchThrowable(role::resolveCredentials);
        assertThat(thrown).as("AssumeRole failed").isNotNull();
        return thrown;
    }

    private static JobFailure failure(Throwable t) {
        assertThat(t).isInstanceOf(JobFailure.class);
        return (JobFailure) t;
    }

    @Provide
    Arbitrary<Row> rows() {
        return Arbitraries.of(TABLE);
    }

    /** AWS's message text: anything, including the identifiers of other principals. */
    @Provide
    Arbitrary<String> awsMessages() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> withSecrets = Arbitraries.strings().ofMaxLength(40).map(s -> s + " " + SECRET + " " + s);
        return Arbitraries.oneOf(any, withSecrets, Arbitraries.just(SECRET));
    }
}
