package com.mlplatform.logexport.infra;

import java.util.List;
import java.util.Objects;

/**
 * What one Lambda's code says about itself: the environment variables it reads and the IAM actions it performs with
 * its own (platform) credentials. Taken from the code's config classes ({@code ApiConfig}, {@code WorkerConfig}),
 * never retyped here, so the template is checked against what the code really declares.
 *
 * @param logicalId  the function's logical id in {@code infra/template.yaml}
 * @param declaredBy the class the lists come from, for messages
 * @param envVars    every variable the code reads, including runtime-provided and local-only ones
 * @param iamActions every action the code performs with the function's role
 */
record FunctionContract(String logicalId, String declaredBy, List<String> envVars, List<String> iamActions) {

    FunctionContract {
        Objects.requireNonNull(logicalId, "logicalId");
        Objects.requireNonNull(declaredBy, "declaredBy");
        envVars = List.copyOf(envVars);
        iamActions = List.copyOf(iamActions);
    }
}
