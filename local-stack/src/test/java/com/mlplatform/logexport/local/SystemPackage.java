package com.mlplatform.logexport.local;

import java.nio.file.Path;

/**
 * What the tests need from the machine beyond a JDK and Python: Debian packages, each with what shows it installed
 * (a file it puts on the system, or a Python module it provides). {@code ./dev} installs exactly these when they are
 * missing (its {@code SYSTEM_PACKAGES}; {@link SystemPackagesTest} keeps the two equal), so a test that starts
 * needing another one names it here, and fails the check until {@code ./dev} installs it too.
 */
enum SystemPackage {

    /** {@link BrowserIT} drives Debian's Chromium, named explicitly so that Selenium never downloads a browser. */
    CHROMIUM("chromium", "/usr/bin/chromium"),
    /** ... through Debian's chromedriver. */
    CHROMIUM_DRIVER("chromium-driver", "/usr/bin/chromedriver"),
    /**
     * {@code ./dev} creates {@code .venv} (the moto server every {@code *IT} talks to, cfn-lint, the AWS CLI) with
     * {@code python3 -m venv}, which needs ensurepip; stock Debian's Python lacks it.
     */
    PYTHON3_VENV("python3-venv", "ensurepip");

    private final String debianName;
    private final String probe;

    SystemPackage(String debianName, String probe) {
        this.debianName = debianName;
        this.probe = probe;
    }

    String debianName() {
        return debianName;
    }

    /** An absolute file path, or else the name of a Python module; {@code ./dev} probes it the same way. */
    String probe() {
        return probe;
    }

    /** The file this package installs; only for packages probed by a file. */
    Path file() {
        if (!probe.startsWith("/")) {
            throw new IllegalStateException(debianName + " is probed by the Python module " + probe + ", not a file");
        }
        return Path.of(probe);
    }
}
