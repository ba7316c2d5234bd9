package com.mlplatform.logexport.shared.session;

/**
 * What a cross-account session is for. The code is the first field of the session name, so CloudTrail in the use
 * case's account shows at a glance why the platform assumed its role.
 */
public enum Operation {
    LOGS_DOWNLOAD("logs"),
    TRAINING_STATUS("train"),
    COMPILATION("comp");

    private final String code;

    Operation(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
