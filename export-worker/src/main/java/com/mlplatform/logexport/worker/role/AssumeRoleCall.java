package com.mlplatform.logexport.worker.role;

import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/** The one STS call the worker makes; {@code StsClient::assumeRole} in production, a recorder in unit tests. */
@FunctionalInterface
public interface AssumeRoleCall {
    AssumeRoleResponse assumeRole(AssumeRoleRequest request);
}
