package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.Accounts;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * User ids as long as a JWT claim may carry them (the local gateway passes up to 4,096 characters): the id is the
 * key of user-index and part of dedupe-index's key, which DynamoDB caps at 2,048 bytes, so a long id is stored
 * there as a digest (ExportJobItem.userKey) while the job keeps it in full.
 */
class LongUserIdsIT {

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    static final String ID_1000 = "a".repeat(988) + "@example.com";
    /** 4,096 characters, 12,288 bytes in UTF-8. */
    static final String ID_4096 = "漢".repeat(4_096);

    @BeforeAll
    static void members() {
        api.registry.put(ApiHarness.useCase("uc-long", Accounts.USECASE_A, Set.of(ID_1000, ID_4096)));
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = {1_000, 4_096})
    void aLongUserId_shouldExport_dedupe_countAndReadBack(int length) {
        String user = length == 1_000 ? ID_1000 : ID_4096;
        assertThat(user).hasSize(length);
        String id = api.call("POST", "/usecases/uc-long/trainings/long-1/log-exports", user)
                .assertStatus(202).text("/exportId");
        assertThat(api.call("POST", "/usecases/uc-long/trainings/long-1/log-exports", user)
                .assertStatus(202).text("/exportId")).as("in-flight dedupe").isEqualTo(id);

        var status = api.call("GET", "/log-exports/" + id, user).assertStatus(200);
        assertThat(status.text("/requestedBy")).isEqualTo(user);
        assertThat(api.repo().find(id).orElseThrow().requestedBy()).isEqualTo(user);

        var batch = api.call("POST", "/usecases/uc-long/log-exports", user,
                "{\"trainingIds\":[\"long-1\",\"long-2\"]}").assertStatus(202);
        api.call("GET", batch.headers().get("Location"), user).assertStatus(200);
        api.runFanout(); // the batch's two exports of its own now count, with the single one: 3 active

        api.reconfigure(api.config().withMaxActiveExportsPerUser(2));
        try {
            api.call("POST", "/usecases/uc-long/trainings/long-3/log-exports", user)
                    .assertError(429, "TOO_MANY_REQUESTS");
        } finally {
            api.reconfigure(api.config());
        }
    }
}
