package com.mlplatform.logexport.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DevIdentityTest {

    private final DevIdentity identity = new DevIdentity("sub");

    /** What the JDK's HTTP server hands the gateway for a header sent as raw UTF-8: one char per byte. */
    private static String onTheWire(String utf8) {
        return new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private Optional<String> fromHeader(String value) {
        return identity.userId(Map.of(DevIdentity.HEADER, value));
    }

    @Test
    void userId_shouldReadTheDevHeaderOrADevBearer_andNothingElse() {
        assertThat(fromHeader(" alice ")).contains("alice");
        assertThat(identity.userId(Map.of("authorization", "Bearer dev:bob"))).contains("bob");
        assertThat(identity.userId(Map.of("authorization", "Bearer eyJhbGciOi.real.jwt"))).isEmpty();
        assertThat(identity.userId(Map.of())).isEmpty();
    }

    @Test
    void claims_shouldPutTheIdInTheConfiguredClaim_andSub() {
        var claims = new DevIdentity("email").claims("漢字/ops", Instant.parse("2030-01-02T03:04:05Z"));

        assertThat(claims).containsEntry("email", "漢字/ops").containsEntry("sub", "漢字/ops")
                .containsKeys("iss", "exp", "iat");
    }

    @Test
    void userId_shouldDecodeRawUtf8Bytes() {
        assertThat(fromHeader(onTheWire("jürgen"))).contains("jürgen");
        assertThat(fromHeader(onTheWire("漢字"))).contains("漢字");
    }

    @Test
    void userId_shouldDecodePercentEncodedUtf8_asEncodeUriComponentSendsIt() {
        assertThat(fromHeader("%E6%BC%A2%E5%AD%97")).contains("漢字");
        assertThat(fromHeader("j%C3%BCrgen")).contains("jürgen");
        assertThat(fromHeader("%20padded%20")).contains(" padded ");
    }

    @Test
    void userId_shouldAcceptSpacesSlashesAndSymbols_asAClaimCanHoldThem() {
        assertThat(fromHeader("ada lovelace/ops")).contains("ada lovelace/ops");
        assertThat(fromHeader("CN=Ada,OU=ML;x=\"1\"")).contains("CN=Ada,OU=ML;x=\"1\"");
    }

    @Test
    void userId_shouldKeepAPercentThatEncodesNothing_andDecodePercent25() {
        assertThat(fromHeader("100%")).contains("100%");
        assertThat(fromHeader("50%zz")).contains("50%zz");
        assertThat(fromHeader("a%25b")).contains("a%b");
    }

    @Test
    void userId_shouldAcceptUpToTheBound_andRefuseLonger() {
        String email = "a".repeat(988) + "@example.com";

        assertThat(fromHeader(email)).contains(email);
        assertThat(fromHeader("x".repeat(DevIdentity.MAX_LENGTH))).isPresent();
        assertThat(fromHeader("x".repeat(DevIdentity.MAX_LENGTH + 1))).isEmpty();
        assertThat(fromHeader("漢".repeat(DevIdentity.MAX_LENGTH).transform(DevIdentityTest::onTheWire)))
                .as("the bound counts characters, not bytes").isPresent();
    }

    @Test
    void userId_shouldRefuseBlankIds_andBytesThatAreNotUtf8() {
        assertThat(fromHeader("   ")).isEmpty();
        assertThat(fromHeader("%20%20")).isEmpty();
        assertThat(fromHeader("%FF%FE")).isEmpty();
        assertThat(fromHeader("j\u00fcrgen")).as("ü as the single ISO-8859-1 byte FC is not UTF-8").isEmpty();
    }

    @Test
    void userId_shouldDecodeTheDevBearerValue_theSameWay() {
        var headers = Map.of("authorization", "Bearer dev:%E6%BC%A2%E5%AD%97/ops team");

        assertThat(identity.userId(headers)).contains("漢字/ops team");
    }

    @Test
    void forConsole_shouldShortenLongIds_keepingWholeCharacters() {
        assertThat(DevIdentity.forConsole("alice")).isEqualTo("alice");
        assertThat(DevIdentity.forConsole("😀".repeat(100))).isEqualTo("😀".repeat(60) + "… (200 chars)");
    }
}
