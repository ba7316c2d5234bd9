package com.mlplatform.logexport.infra;

import java.util.List;
import java.util.Objects;

/**
 * What one Lambda's code says about itself: the environment variables it reads, the IAM actions it performs with
 * its own (platform) credentials, and the S3 key prefixes it reads or writes. Taken from the code ({@code ApiConfig},
 * {@code WorkerConfig}, the worker's key layout), never retyped here, so the template is checked against what the
 * code really declares.
 *
 * @param logicalId     the function's logical id in {@code infra/template.yaml}
 * @param declaredBy    the class the lists come from, for messages
 * @param envVars       every variable the code reads, including runtime-provided and local-only ones
 * @param iamActions    every action the code performs with the function's role
 * @param s3KeyPrefixes the first segment, with its slash, of every key the function reads or writes
 *                      ({@code exports/}); its S3 object grants may cover these and nothing else
 */
record FunctionContract(String logicalId, String declaredBy, List<String> envVars, List<String> iamActions,
                        List<String> s3KeyPrefixes) {

    FunctionContract {
        Objects.requireNonNull(logicalId, "logicalId");
        Objects.requireNonNull(declaredBy, "declaredBy");
        envVars = List.copyOf(envVars);
        iamActions = List.copyOf(iamActions);
        s3KeyPrefixes = List.copyOf(s3KeyPrefixes);
    }
}
