package com.mlplatform.logexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code ./dev} installs every Debian package a test needs ({@link SystemPackage}), and nothing else: on a machine
 * with only a JDK and Python, its setup (run by both {@code ./dev up} and {@code ./dev test}) is all it takes.
 */
class SystemPackagesTest {

    /** {@code SYSTEM_PACKAGES=( "package:probe" # comment ... )} in {@code dev}. */
    private static final Pattern LIST = Pattern.compile("(?m)^SYSTEM_PACKAGES=\\(\\n((?:\\s+\"[^\"]+\".*\\n)+)\\)$");
    private static final Pattern ENTRY = Pattern.compile("\"([^\":]+):([^\"]+)\"");
    private static final Pattern SETUP = Pattern.compile("(?ms)^setup\\(\\) \\{\\n(.*?)^}");

    @Test
    void dev_shouldInstallExactlyThePackagesTheTestsNeed() throws IOException {
        String dev = Files.readString(Emulator.projectRoot().resolve("dev"));

        var list = LIST.matcher(dev);
        assertThat(list.find()).as("dev defines SYSTEM_PACKAGES=( \"package:probe\" ... )").isTrue();
        Map<String, String> installed = new TreeMap<>();
        ENTRY.matcher(list.group(1)).results().forEach(m -> installed.put(m.group(1), m.group(2)));
        Map<String, String> needed = Arrays.stream(SystemPackage.values())
                .collect(Collectors.toMap(SystemPackage::debianName, SystemPackage::probe, (a, b) -> a, TreeMap::new));

        assertThat(installed).as("dev's SYSTEM_PACKAGES (package -> probe) vs what the tests need (SystemPackage)")
                .isEqualTo(needed);
    }

    @Test
    void devSetup_shouldInstallTheSystemPackages_beforeAnythingUsesThem() throws IOException {
        String dev = Files.readString(Emulator.projectRoot().resolve("dev"));

        var setup = SETUP.matcher(dev);
        assertThat(setup.find()).as("dev has a setup() function").isTrue();
        String body = setup.group(1);
        assertThat(body).contains("install_system_packages");
        assertThat(body.indexOf("install_system_packages")).as("system packages before the venv that needs them")
                .isLessThan(body.indexOf("install_venv"));
        assertThat(dev).contains("for entry in \"${SYSTEM_PACKAGES[@]}\"");
    }
}
