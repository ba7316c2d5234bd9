package com.mlplatform.logexport.worker.failure;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.error.ErrorCode;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sts.model.StsException;

/** Which failures end an export, per platform service: only the error table's permanent errors do. */
class DispositionTest {

    private static <B extends AwsServiceException.Builder> RuntimeException error(B builder, int status,
                                                                                   String code) {
        return (RuntimeException) builder.statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
    }

    static Stream<Arguments> transientFailures() {
        return Stream.of(
                Arguments.of("DynamoDB 500", error(DynamoDbException.builder(), 500, "InternalServerError")),
                Arguments.of("DynamoDB throttled", error(ProvisionedThroughputExceededException.builder(), 400,
                        "ProvisionedThroughputExceededException")),
                Arguments.of("DynamoDB ThrottlingException", error(DynamoDbException.builder(), 400,
                        "ThrottlingException")),
                Arguments.of("SQS 500", error(SqsException.builder(), 500, "InternalError")),
                Arguments.of("SQS throttled", error(SqsException.builder(), 400, "RequestThrottled")),
                Arguments.of("S3 503 SlowDown", error(S3Exception.builder(), 503, "SlowDown")),
                Arguments.of("S3 RequestTimeout", error(S3Exception.builder(), 400, "RequestTimeout")),
                Arguments.of("STS throttled", error(StsException.builder(), 400, "Throttling")),
                Arguments.of("STS 503", error(StsException.builder(), 503, "ServiceUnavailable")),
                Arguments.of("connection reset", SdkClientException.create("reset", new IOException("reset"))),
                Arguments.of("call timeout", ApiCallTimeoutException.create(1000)),
                Arguments.of("our backoff gave up", new OutOfTime("deadline", null)),
                Arguments.of("retryable past our retries", new RetryableFailure(RetryableFailure.Kind.THROTTLED,
                        "s3:PutObject", error(S3Exception.builder(), 503, "SlowDown"))),
                Arguments.of("platform credentials expired", error(DynamoDbException.builder(), 400,
                        "ExpiredTokenException")),
                Arguments.of("wrapped", new IllegalStateException("wrapped",
                        error(DynamoDbException.builder(), 500, "InternalServerError"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFailures")
    void transientPlatformFailure_isRetried_neverFailsTheExport(String what, RuntimeException e) {
        Disposition d = Disposition.of(e);

        assertThat(d).isInstanceOf(Disposition.Retry.class);
        assertThat(d.endsExport()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("permanentFailures")
    void permanentFailure_endsTheExport(String what, RuntimeException e, Class<?> expected) {
        Disposition d = Disposition.of(e);

        assertThat(d).isInstanceOf(expected);
        assertThat(d.endsExport()).isTrue();
    }

    static Stream<Arguments> permanentFailures() {
        return Stream.of(
                Arguments.of("error table: access denied", JobFailure.invalidRequest("no such use case"),
                        Disposition.Fail.class),
                Arguments.of("S3 access denied (platform misconfigured)", error(S3Exception.builder(), 403,
                        "AccessDenied"), Disposition.Unexpected.class),
                Arguments.of("DynamoDB validation", error(DynamoDbException.builder(), 400, "ValidationException"),
                        Disposition.Unexpected.class),
                Arguments.of("an unhandled condition failure", error(ConditionalCheckFailedException.builder(), 400,
                        "ConditionalCheckFailedException"), Disposition.Unexpected.class),
                Arguments.of("a bug", new IllegalStateException("upload has 1 of 2 parts"),
                        Disposition.Unexpected.class));
    }

    @org.junit.jupiter.api.Test
    void jobFailure_keepsItsCodeAndMessage() {
        Disposition d = Disposition.of(JobFailure.noEvents("train-1"));

        assertThat(d).isInstanceOfSatisfying(Disposition.Fail.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.NO_LOGS));
    }
}
