package com.mlplatform.logexport.reliability.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/**
 * Throttling and server errors exactly as each service sends them, so the SDK classifies them as it would in AWS
 * (its retry policy keys on the error code and status).
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html">DynamoDB errors</a>
 * @see <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html">SQS common errors</a>
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html">S3 error responses</a>
 * @see <a href="https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html">STS common errors</a>
 */
final class ServiceErrors {

    private static final String DYNAMO_JSON = "application/x-amz-json-1.0";

    private ServiceErrors() {
    }

    static ResponseDefinitionBuilder throttling(AwsCall call, boolean alternative) {
        return switch (call.service()) {
            case "dynamodb" -> json(400, "com.amazonaws.dynamodb.v20120810#" + (alternative
                    ? "ProvisionedThroughputExceededException" : "ThrottlingException"), "Rate of requests exceeds "
                    + "the allowed throughput.");
            case "sqs" -> sqs(400, alternative ? "RequestThrottled" : "ThrottlingException", "Sender",
                    "Rate exceeded");
            case "s3" -> xml(503, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
                    + "</Error>");
            default -> xml(400, "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate "
                    + "exceeded</Message></Error><RequestId>trial</RequestId></ErrorResponse>");
        };
    }

    static ResponseDefinitionBuilder serverError(AwsCall call) {
        return switch (call.service()) {
            case "dynamodb" -> json(500, "com.amazonaws.dynamodb.v20120810#InternalServerError",
                    "Internal server error");
            case "sqs" -> sqs(500, "InternalError", "Receiver", "We encountered an internal error.");
            case "s3" -> xml(500, "<Error><Code>InternalError</Code><Message>We encountered an internal error. "
                    + "Please try again.</Message></Error>");
            default -> xml(500, "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>"
                    + "internal failure</Message></Error><RequestId>trial</RequestId></ErrorResponse>");
        };
    }

    private static ResponseDefinitionBuilder json(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", DYNAMO_JSON)
                .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

    /**
     * SQS speaks JSON to this SDK and keeps its query-era codes in {@code x-amzn-query-error}, which the SDK reads
     * first (the service is "awsQueryCompatible").
     */
    private static ResponseDefinitionBuilder sqs(int status, String code, String fault, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", DYNAMO_JSON)
                .withHeader("x-amzn-query-error", code + ";" + fault)
                .withBody("{\"__type\":\"com.amazonaws.sqs#" + code + "\",\"message\":\"" + message + "\"}");
    }

    private static ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/xml").withBody(body);
    }
}
