package com.mlplatform.logexport.worker.failure;

import com.mlplatform.logexport.shared.error.ErrorCode;
import java.util.Objects;

/**
 * A failure that ends the export: the job becomes FAILED with this code and a message written for the user (the
 * seed's error table). The message never carries credentials, stack traces or another tenant's identifiers.
 */
public final class JobFailure extends RuntimeException {

    private final ErrorCode code;
    private final String userMessage;

    public JobFailure(ErrorCode code, String userMessage) {
        super(code + ": " + userMessage, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.userMessage = Objects.requireNonNull(userMessage, "userMessage");
    }

    public ErrorCode code() {
        return code;
    }

    public String userMessage() {
        return userMessage;
    }

    public static JobFailure noLogs(String trainingId, String logGroup) {
        return new JobFailure(ErrorCode.NO_LOGS, "No logs available yet for training job '" + trainingId
                + "' in log group " + logGroup + ". SageMaker creates them once the job starts; try again later.");
    }

    public static JobFailure noEvents(String trainingId) {
        return new JobFailure(ErrorCode.NO_LOGS, "No logs available yet for training job '" + trainingId
                + "': its log streams exist but hold no events yet. Try again later.");
    }

    public static JobFailure noLogsInRange(String trainingId) {
        return new JobFailure(ErrorCode.NO_LOGS, "No logs available yet for training job '" + trainingId
                + "' in the requested time range.");
    }

    /**
     * Access was refused in the use case's account. Names the role and the permission it lacks so that the use
     * case's administrator can fix it; the role is the requesting user's own use case's, not another tenant's.
     */
    public static JobFailure accessDenied(RoleRef role, String permission, String resource) {
        return new JobFailure(ErrorCode.ACCESS_DENIED, "The export role " + role.describe() + " was refused "
                + permission + " on " + resource + ". Ask your use case's administrator to grant " + permission
                + " to that role (see the use-case role template).");
    }

    public static JobFailure cannotAssume(RoleRef role) {
        return new JobFailure(ErrorCode.ACCESS_DENIED, "The platform could not assume the export role "
                + role.describe() + ". Its trust policy must allow sts:AssumeRole (and sts:SetSourceIdentity) for "
                + "the platform account with this use case's external id.");
    }

    public static JobFailure invalidRequest(String guidance) {
        return new JobFailure(ErrorCode.INVALID_REQUEST, guidance);
    }
}
