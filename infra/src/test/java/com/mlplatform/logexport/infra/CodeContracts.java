package com.mlplatform.logexport.infra;

import com.mlplatform.logexport.api.ApiConfig;
import com.mlplatform.logexport.api.fanout.FanoutConfig;
import com.mlplatform.logexport.api.fanout.SweepConfig;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.worker.WorkerConfig;
import com.mlplatform.logexport.worker.invocation.ExportKeys;
import com.mlplatform.logexport.worker.reconcile.ReconcilerConfig;
import java.time.Instant;
import java.util.List;

/** The contracts the code declares, by the function logical ids of {@code infra/template.yaml}. */
final class CodeContracts {

    /** Any job: only the first segment of its keys matters, and that does not depend on the job. */
    private static final ExportJob SAMPLE_JOB = ExportJob.queued("export-id", "usecase", "training-job", "user",
            ExportOptions.DEFAULT, null, Instant.EPOCH);
    /** Where the worker puts finished exports, which the request API presigns downloads of. */
    static final String EXPORTS_PREFIX = firstSegment(ExportKeys.objectKey(SAMPLE_JOB));
    /** Where the worker keeps a paused export's unfinished parts. */
    static final String WORK_PREFIX = firstSegment(ExportKeys.stashKey(SAMPLE_JOB, 0));

    static final FunctionContract REQUEST_API = new FunctionContract("RequestApiFunction", "ApiConfig",
            ApiConfig.ENV_VARS, ApiConfig.IAM_ACTIONS, List.of(EXPORTS_PREFIX));

    static final FunctionContract EXPORT_WORKER = new FunctionContract("ExportWorkerFunction", "WorkerConfig",
            WorkerConfig.ENV_VARS, WorkerConfig.IAM_ACTIONS, List.of(EXPORTS_PREFIX, WORK_PREFIX));

    static final FunctionContract EXPORT_RECONCILER = new FunctionContract("ExportReconcilerFunction",
            "ReconcilerConfig", ReconcilerConfig.ENV_VARS, ReconcilerConfig.IAM_ACTIONS, List.of(EXPORTS_PREFIX, WORK_PREFIX));

    static final FunctionContract BATCH_FANOUT = new FunctionContract("BatchFanoutFunction", "FanoutConfig",
            FanoutConfig.ENV_VARS, FanoutConfig.IAM_ACTIONS, List.of());

    static final FunctionContract FANOUT_SWEEP = new FunctionContract("FanoutSweepFunction", "SweepConfig",
            SweepConfig.ENV_VARS, SweepConfig.IAM_ACTIONS, List.of());

    /** Functions that send messages to the queue that triggers them (the worker's continuations of long exports). */
    static final java.util.Set<String> CONTINUES_ON_ITS_QUEUE = java.util.Set.of(EXPORT_WORKER.logicalId());

    private CodeContracts() {
    }

    static List<FunctionContract> all() {
        return List.of(REQUEST_API, EXPORT_WORKER, EXPORT_RECONCILER, BATCH_FANOUT, FANOUT_SWEEP);
    }

    static List<String> usecaseRoleActions() {
        return WorkerConfig.USECASE_ROLE_ACTIONS;
    }

    private static String firstSegment(String key) {
        int slash = key.indexOf('/');
        if (slash <= 0) {
            // No prefix would mean grants on every key; the key layout changed, so the contract must too.
            throw new IllegalStateException("S3 key without a prefix segment: " + key);
        }
        return key.substring(0, slash + 1);
    }
}
