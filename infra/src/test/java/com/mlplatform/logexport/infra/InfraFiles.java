package com.mlplatform.logexport.infra;

import com.mlplatform.logexport.emulator.CloudFormationTemplate;
import com.mlplatform.logexport.emulator.Emulator;
import java.nio.file.Path;

/** Where the infra files of this checkout are. */
final class InfraFiles {

    static final Path ROOT = Emulator.projectRoot();
    static final Path PLATFORM_TEMPLATE = ROOT.resolve("infra/template.yaml");
    static final Path USECASE_ROLE_TEMPLATE = ROOT.resolve("infra/usecase-account-role.yaml");
    static final Path REQUIREMENTS = ROOT.resolve("requirements-dev.txt");

    private InfraFiles() {
    }

    static CloudFormationTemplate platform() {
        return CloudFormationTemplate.load(PLATFORM_TEMPLATE);
    }

    static CloudFormationTemplate usecaseRole() {
        return CloudFormationTemplate.load(USECASE_ROLE_TEMPLATE);
    }
}
