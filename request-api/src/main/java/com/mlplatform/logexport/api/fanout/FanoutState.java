package com.mlplatform.logexport.api.fanout;

/** Where a batch's fan-out stands: it decides what an item whose job does not exist yet shows. */
public enum FanoutState {
    /** Items without a job are still to be created: they show QUEUED. */
    PENDING,
    /** Every item's job was created (or the item was cancelled before). */
    DONE,
    /** The fan-out was given up ({@link FanoutSweep}): items without a job show FAILED. */
    FAILED
}
