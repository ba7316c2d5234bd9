package com.mlplatform.logexport.shared.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void hex_shouldBeTheLowerCaseDigestOfTheUtf8Bytes() {
        // FIPS 180-2, appendix B.1
        assertThat(Sha256.hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256.hex("ünï")).isEqualTo(HexFormat.of().formatHex(
                Sha256.digest("ünï".getBytes(StandardCharsets.UTF_8))));
    }
}
