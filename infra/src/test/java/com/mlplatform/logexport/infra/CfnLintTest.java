package com.mlplatform.logexport.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cfn-lint, pinned in requirements-dev.txt, passes on both templates; this is how ./dev test runs it. */
class CfnLintTest {

    @Test
    void cfnLint_shouldBeThePinnedVersion() throws Exception {
        var result = CfnLint.run(List.of("--version"));

        assertThat(result.output().trim())
                .as("the cfn-lint in .venv must be the one requirements-dev.txt pins; run ./dev setup")
                .isEqualTo("cfn-lint " + CfnLint.pinnedVersion());
    }

    @Test
    void bothTemplates_shouldPassCfnLint() throws Exception {
        var result = CfnLint.run(List.of(
                InfraFiles.PLATFORM_TEMPLATE.toString(), InfraFiles.USECASE_ROLE_TEMPLATE.toString()));

        assertThat(result.output()).as("cfn-lint findings").isEmpty();
        assertThat(result.exitCode()).as("cfn-lint exit code").isZero();
    }

    @Test
    void cfnLint_shouldFail_whenATemplateIsBroken(@TempDir Path dir) throws Exception {
        // Guards the check itself: a linter that silently lints nothing would make the test above meaningless.
        String broken = Files.readString(InfraFiles.PLATFORM_TEMPLATE)
                .replace("Statistic: Maximum", "Statistic: Highest");
        Path copy = dir.resolve("template.yaml");
        Files.writeString(copy, broken);

        var result = CfnLint.run(List.of(copy.toString()));

        assertThat(result.exitCode()).as("cfn-lint must reject an invalid alarm statistic").isNotZero();
        assertThat(result.output()).contains("Highest");
    }
}
