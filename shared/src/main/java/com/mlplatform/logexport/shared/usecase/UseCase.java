package com.mlplatform.logexport.shared.usecase;

import java.util.Objects;
import java.util.Set;

/**
 * A use case: one AWS account whose SageMaker training logs the platform may read through a role.
 *
 * @param logGroup where SageMaker writes training logs; {@code /aws/sagemaker/TrainingJobs} unless overridden
 * @param members  user ids allowed to export this use case's logs
 */
public record UseCase(
        String usecaseId,
        String accountId,
        String roleArn,
        String externalId,
        String region,
        String logGroup,
        Set<String> members) {

    public static final String DEFAULT_LOG_GROUP = "/aws/sagemaker/TrainingJobs";

    public UseCase {
        Objects.requireNonNull(usecaseId, "usecaseId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(region, "region");
        logGroup = logGroup == null || logGroup.isBlank() ? DEFAULT_LOG_GROUP : logGroup;
        members = members == null ? Set.of() : Set.copyOf(members);
    }

    public boolean isMember(String userId) {
        return userId != null && members.contains(userId);
    }
}
