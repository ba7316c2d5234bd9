package com.mlplatform.logexport.worker.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.worker.logs.CloudWatchLogSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

/**
 * Seed property 3: for any CloudWatch Logs error, the user sees the error table's code and HTTP status with a
 * message written for people, and nothing of AWS's own message (which can name principals and ARNs).
 */
class ErrorTableProperties {

    private static final String SECRET = "arn:aws:iam::999999999999:role/OtherTenant AKIAEXAMPLESECRET";
    private static final RoleRef ROLE = RoleRef.fromArn("arn:aws:iam::111111111111:role/PlatformLogExportReadRole");

    record AwsError(String code, int status) {
    }

    @Property
    void property3_everyCloudWatchError_mapsToTheErrorTable(@ForAll("errors") AwsError error) {
        SdkException e = CloudWatchLogsException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(error.code()).errorMessage(SECRET)
                        .serviceName("CloudWatchLogs").build())
                .statusCode(error.status()).message(SECRET).build();

        Throwable outcome = catchThrowable(() -> {
            throw CloudWatchLogSource.translate(e, "logs:GetLogEvents", "job-1", "/aws/sagemaker/TrainingJobs", ROLE);
        });

        ErrorCode expected = expected(error);
        if (expected == null) {
            assertThat(outcome).as("retried, not failed").isInstanceOfAny(RetryableFailure.class,
                    ExpiredCredentials.class);
        } else if (expected == ErrorCode.INTERNAL) {
            assertThat(outcome).as("unknown errors surface as themselves and become INTERNAL").isSameAs(e);
        } else {
            assertThat(outcome).isInstanceOf(JobFailure.class);
            JobFailure f = (JobFailure) outcome;
            assertThat(f.code()).isEqualTo(expected);
            assertThat(f.code().httpStatus()).isEqualTo(switch (expected) {
                case NO_LOGS -> 404;
                case ACCESS_DENIED -> 403;
                case INVALID_REQUEST -> 400;
                default -> throw new AssertionError(expected);
            });
            assertThat(f.userMessage()).doesNotContain("999999999999", "AKIA", "OtherTenant").isNotBlank();
            if (expected == ErrorCode.ACCESS_DENIED) {
                assertThat(f.userMessage()).as("names the role and the missing permission")
                        .contains("PlatformLogExportReadRole", "logs:GetLogEvents");
            }
        }
    }

    @Property(tries = 50)
    void networkFaults_areRetried(@ForAll("anyText") String message) {
        Throwable outcome = catchThrowable(() -> {
            throw CloudWatchLogSource.translate(SdkClientException.create(message), "logs:GetLogEvents", "job",
                    "/g", ROLE);
        });
        assertThat(outcome).isInstanceOf(RetryableFailure.class);
    }

    private static ErrorCode expected(AwsError e) {
        return switch (e.code()) {
            case "ExpiredTokenException", "ExpiredToken" -> null;
            case "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded" -> null;
            default -> {
                if (e.status() == 429 || e.status() >= 500) {
                    yield null;
                }
                if (e.code().equals("AccessDeniedException") || e.code().equals("AccessDenied") || e.status() == 403) {
                    yield ErrorCode.ACCESS_DENIED;
                }
                if (e.code().equals("ResourceNotFoundException")) {
                    yield ErrorCode.NO_LOGS;
                }
                if (e.code().equals("InvalidParameterException")) {
                    yield ErrorCode.INVALID_REQUEST;
                }
                yield ErrorCode.INTERNAL;
            }
        };
    }

    @Provide
    Arbitrary<AwsError> errors() {
        Arbitrary<String> codes = Arbitraries.of("ResourceNotFoundException", "AccessDeniedException", "AccessDenied",
                "InvalidParameterException", "ThrottlingException", "TooManyRequestsException",
                "RequestLimitExceeded", "ServiceUnavailableException", "ExpiredTokenException", "ExpiredToken",
                "DataAlreadyAcceptedException", "UnknownFutureError");
        Arbitrary<Integer> statuses = Arbitraries.of(400, 403, 404, 429, 500, 502, 503);
        return net.jqwik.api.Combinators.combine(codes, statuses).as(AwsError::new);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().ofMaxLength(50);
    }
}
