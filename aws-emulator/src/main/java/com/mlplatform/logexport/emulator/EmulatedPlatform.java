package com.mlplatform.logexport.emulator;

import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.config.PlatformResources;

/**
 * A clean emulator with the platform account provisioned from {@code infra/template.yaml}. Call {@link #fresh()}
 * in a test class's {@code @BeforeAll}: it resets the emulator (moto's {@code POST /moto-api/reset}), so every test
 * class starts from nothing.
 */
public record EmulatedPlatform(Emulator emulator, TemplateProvisioner.Provisioned provisioned) {

    public static final String STACK = "logexport";

    public static EmulatedPlatform fresh() {
        Emulator emulator = Emulator.shared();
        emulator.reset();
        try (AwsClients clients = emulator.platformClients()) {
            var provisioned = new TemplateProvisioner(CloudFormationTemplate.platform(), clients).provision(STACK);
            return new EmulatedPlatform(emulator, provisioned);
        }
    }

    public PlatformResources resources() {
        return provisioned.platformResources();
    }

    /** New clients for the platform account; the caller owns them and closes them when done. */
    public AwsClients platformClients() {
        return emulator.platformClients();
    }

    public UseCaseAccountSeeder seeder(String accountId) {
        return new UseCaseAccountSeeder(emulator, accountId);
    }
}
