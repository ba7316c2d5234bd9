package com.mlplatform.logexport.api.access;

import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.usecase.UseCase;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who may do what. Membership is read from the registry on every request (strongly consistent), so removing a
 * member revokes access at once; nothing is cached across invocations.
 */
public final class AccessControl {

    private final Function<String, Optional<UseCase>> registry;

    /** @param registry looks a use case up by id (the DynamoDB registry, or an in-memory one in unit tests) */
    public AccessControl(Function<String, Optional<UseCase>> registry) {
        this.registry = registry;
    }

    /**
     * For starting exports: an unknown use case is 404, a use case the caller is not a member of is 403 (the caller
     * named it, so saying it exists reveals nothing they could not guess; saying why helps them ask for access).
     */
    public UseCase requireMember(String usecaseId, Caller caller) {
        UseCase useCase = registry.apply(usecaseId).orElseThrow(() ->
                new ApiException(ErrorCode.NOT_FOUND, "Use case '" + usecaseId + "' does not exist."));
        if (!useCase.isMember(caller.userId())) {
            throw new ApiException(ErrorCode.ACCESS_DENIED, "You are not a member of use case '" + usecaseId
                    + "'. Ask its owner to add you.");
        }
        return useCase;
    }

    /**
     * For existing exports: anyone who is not a current member of the export's use case gets the same 404 as for
     * an id that does not exist, so export ids of other tenants cannot be probed.
     */
    public ExportJob requireVisible(Optional<ExportJob> job, Caller caller, String what) {
        return job.filter(j -> canSee(j.usecaseId(), caller))
                .orElseThrow(() -> notFound(what));
    }

    public boolean canSee(String usecaseId, Caller caller) {
        return registry.apply(usecaseId).map(u -> u.isMember(caller.userId())).orElse(false);
    }

    public static ApiException notFound(String what) {
        return new ApiException(ErrorCode.NOT_FOUND, what + " was not found.");
    }
}
