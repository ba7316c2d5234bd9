package com.mlplatform.logexport.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the pinned cfn-lint from the project's {@code .venv} (installed by {@code ./dev setup}). A missing or
 * differently-versioned cfn-lint is an error with instructions, never a skipped check.
 */
final class CfnLint {

    record Result(int exitCode, String output) {
    }

    private CfnLint() {
    }

    static Path executable() {
        Path venv = InfraFiles.ROOT.resolve(".venv/bin/cfn-lint");
        if (!Files.isExecutable(venv)) {
            throw new AssertionError("cfn-lint is not installed at " + venv + ". Run ./dev setup (or ./dev test), "
                    + "which installs the version pinned in requirements-dev.txt into .venv; by hand: "
                    + "python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt");
        }
        return venv;
    }

    /** The version requirements-dev.txt pins, e.g. {@code 1.58.0}. */
    static String pinnedVersion() throws IOException {
        var pin = Pattern.compile("^cfn-lint==(\\S+)\\s*$");
        for (String line : Files.readAllLines(InfraFiles.REQUIREMENTS)) {
            var m = pin.matcher(line.trim());
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new AssertionError("requirements-dev.txt must pin cfn-lint exactly (cfn-lint==X.Y.Z)");
    }

    static Result run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable().toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).directory(InfraFiles.ROOT.toFile())
                .redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("cfn-lint did not finish within 5 minutes: " + command);
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
