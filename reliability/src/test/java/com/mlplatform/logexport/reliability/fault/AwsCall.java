package com.mlplatform.logexport.reliability.fault;

import com.github.tomakehurst.wiremock.http.Request;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which AWS service and operation an HTTP request to the shared emulator endpoint is. The service is the signing
 * name in the SigV4 credential scope ({@code Credential=<key>/<date>/<region>/<service>/aws4_request}), which every
 * SDK request carries whatever its protocol.
 *
 * @param service  signing name: dynamodb, sqs, s3, sts, logs, …
 * @param operation the JSON target's operation, the query Action, or for S3 the HTTP method
 * @param write    whether it changes state (so it can be committed and then have its response lost)
 */
public record AwsCall(String service, String operation, boolean write) {

    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z]+)");
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems", "SendMessage", "SendMessageBatch");

    public static AwsCall of(Request request) {
        String auth = request.getHeader("Authorization");
        Matcher m = auth == null ? null : SCOPE.matcher(auth);
        String service = m != null && m.find() ? m.group(1) : "unknown";
        String target = request.getHeader("X-Amz-Target");
        if (target != null && target.contains(".")) {
            String operation = target.substring(target.lastIndexOf('.') + 1);
            return new AwsCall(service, operation, WRITES.contains(operation));
        }
        if (service.equals("s3")) {
            String method = request.getMethod().getName();
            return new AwsCall(service, method, !method.equals("GET") && !method.equals("HEAD"));
        }
        byte[] body = request.getBody();
        Matcher action = ACTION.matcher(body == null ? "" : new String(body, StandardCharsets.UTF_8));
        String operation = action.find() ? action.group(1) : request.getMethod().getName();
        return new AwsCall(service, operation, WRITES.contains(operation));
    }
}
