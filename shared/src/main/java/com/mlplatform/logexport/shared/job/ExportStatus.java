package com.mlplatform.logexport.shared.job;

import java.util.EnumSet;
import java.util.Set;

/**
 * QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED. A finished job never changes again; every transition is a
 * DynamoDB conditional write on the current status (see {@link ExportJobRepository}).
 */
public enum ExportStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isActive() {
        return this == QUEUED || this == RUNNING;
    }

    public boolean isFinished() {
        return !isActive();
    }

    /** The states this one may move to. */
    public Set<ExportStatus> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED);
            case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(ExportStatus.class);
        };
    }

    public boolean canMoveTo(ExportStatus target) {
        return next().contains(target);
    }
}
