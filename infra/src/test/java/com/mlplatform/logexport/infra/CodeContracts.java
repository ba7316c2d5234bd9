package com.mlplatform.logexport.infra;

import com.mlplatform.logexport.api.ApiConfig;
import com.mlplatform.logexport.worker.WorkerConfig;
import com.mlplatform.logexport.worker.reconcile.ReconcilerConfig;
import java.util.List;

/** The contracts the code declares, by the function logical ids of {@code infra/template.yaml}. */
final class CodeContracts {

    static final FunctionContract REQUEST_API = new FunctionContract("RequestApiFunction", "ApiConfig",
            ApiConfig.ENV_VARS, ApiConfig.IAM_ACTIONS);

    static final FunctionContract EXPORT_WORKER = new FunctionContract("ExportWorkerFunction", "WorkerConfig",
            WorkerConfig.ENV_VARS, WorkerConfig.IAM_ACTIONS);

    static final FunctionContract EXPORT_RECONCILER = new FunctionContract("ExportReconcilerFunction",
            "ReconcilerConfig", ReconcilerConfig.ENV_VARS, ReconcilerConfig.IAM_ACTIONS);

    private CodeContracts() {
    }

    static List<FunctionContract> all() {
        return List.of(REQUEST_API, EXPORT_WORKER, EXPORT_RECONCILER);
    }

    static List<String> usecaseRoleActions() {
        return WorkerConfig.USECASE_ROLE_ACTIONS;
    }
}
