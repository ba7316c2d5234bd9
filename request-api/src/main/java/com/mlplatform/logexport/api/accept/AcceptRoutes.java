package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.api.access.AccessControl;
import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.api.accept.AcceptReplies.BatchAccepted;
import com.mlplatform.logexport.api.accept.AcceptReplies.ExportAccepted;
import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.api.http.ApiRequest;
import com.mlplatform.logexport.api.http.ApiResponse;
import com.mlplatform.logexport.api.http.Reply;
import com.mlplatform.logexport.api.idempotency.IdempotentRequests;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.usecase.UseCase;
import java.util.List;
import java.util.Map;

/**
 * POST /usecases/{usecaseId}/trainings/{trainingId}/log-exports and POST /usecases/{usecaseId}/log-exports: body,
 * membership, Idempotency-Key, then {@link ExportAcceptor}; its outcomes become HTTP here.
 */
public final class AcceptRoutes {

    /** What a 429 tells the client to wait: exports take minutes, polling faster only adds load. */
    static final String OVER_CAP_RETRY_AFTER = "30";

    private final AccessControl access;
    private final ExportAcceptor acceptor;
    private final IdempotentRequests idempotent;
    private final BatchAcceptor batches;

    public AcceptRoutes(AccessControl access, ExportAcceptor acceptor, IdempotentRequests idempotent,
                        BatchAcceptor batches) {
        this.access = access;
        this.acceptor = acceptor;
        this.idempotent = idempotent;
        this.batches = batches;
    }

    public ApiResponse createExport(Caller caller, String usecaseId, String trainingId, ApiRequest request) {
        ExportOptions options = ExportRequestBody.single(request.body());
        UseCase useCase = access.requireMember(usecaseId, caller);
        String fingerprint = "export|" + usecaseId + "|" + trainingId + "|" + options.fingerprint();
        return idempotent.run(caller, request, fingerprint, () -> startOne(caller, useCase, trainingId, options));
    }

    public ApiResponse createBatch(Caller caller, String usecaseId, ApiRequest request) {
        ExportRequestBody.Batch batch = ExportRequestBody.batch(request.body());
        UseCase useCase = access.requireMember(usecaseId, caller);
        String fingerprint = "batch|" + usecaseId + "|" + batch.options().fingerprint() + "|"
                + Sha256.hex(Json.write(batch.trainingIds()));
        return idempotent.run(caller, request, fingerprint, () -> startBatch(caller, useCase, batch));
    }

    /** One export, new or handed back: 202, or the error of its one training. */
    public Reply startOne(Caller caller, UseCase useCase, String trainingId, ExportOptions options) {
        Acceptance a = acceptances(acceptor.accept(caller, useCase, List.of(trainingId), options, null)).get(0);
        if (a instanceof Acceptance.Created created) {
            return ExportAccepted.reply(created.exportId(), ExportStatus.QUEUED);
        }
        if (a instanceof Acceptance.Reused reused) {
            return ExportAccepted.reply(reused.exportId(), reused.status());
        }
        Acceptance.Rejected rejected = (Acceptance.Rejected) a;
        throw rejected.code() == ErrorCode.UNAVAILABLE ? ApiException.unavailable(rejected.message())
                : new ApiException(rejected.code(), rejected.message());
    }

    private Reply startBatch(Caller caller, UseCase useCase, ExportRequestBody.Batch batch) {
        BatchAcceptor.Outcome outcome = batches.accept(caller, useCase, batch);
        if (outcome instanceof BatchAcceptor.OverCap over) {
            acceptances(over.over());
        }
        if (outcome instanceof BatchAcceptor.Unavailable) {
            throw ApiException.unavailable("The batch could not be queued right now. Please try again.");
        }
        BatchAcceptor.Accepted accepted = (BatchAcceptor.Accepted) outcome;
        String url = AcceptReplies.batchUrl(accepted.batchId());
        return Reply.of(202, new BatchAccepted(accepted.batchId(), url, accepted.items()))
                .withHeader("Location", url);
    }

    /** The HTTP side of {@link AcceptOutcome}: over the cap is a 429 for the whole request. */
    private static List<Acceptance> acceptances(AcceptOutcome outcome) {
        if (outcome instanceof AcceptOutcome.OverCap over) {
            throw new ApiException(ErrorCode.TOO_MANY_REQUESTS, over.message(),
                    Map.of("Retry-After", OVER_CAP_RETRY_AFTER));
        }
        return ((AcceptOutcome.Accepted) outcome).acceptances();
    }
}
