package com.mlplatform.logexport.api.exportstable;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.api.accept.Guard;
import com.mlplatform.logexport.api.accept.GuardTable;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.shared.aws.AwsClients;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DynamoDB adapter of the guard port answers as the in-memory one the unit tests use, on the emulator. */
class DynamoGuardTableIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private static AwsClients clients;
    private static DynamoGuardTable table;

    @BeforeAll
    static void start() {
        var platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        table = new DynamoGuardTable(clients.dynamo(), platform.resources().exportsTable());
    }

    @AfterAll
    static void stop() {
        clients.close();
    }

    private static String key() {
        return "user|uc-a|" + UUID.randomUUID() + "|text";
    }

    @Test
    void put_writesAFreeGuard_andRefusesASecondOne_showingTheHolder() {
        String key = key();
        assertThat(table.put(new Guard(key, "exp-1", NOW), null)).isEqualTo(new GuardTable.Written());

        var second = table.put(new Guard(key, "exp-2", NOW), null);

        assertThat(second).isEqualTo(new GuardTable.Refused(Optional.of(new Guard(key, "exp-1", NOW))));
    }

    @Test
    void put_takesOver_onlyWhileTheGuardStillNamesTheExpectedOwner() {
        String key = key();
        table.put(new Guard(key, "exp-1", NOW), null);

        assertThat(table.put(new Guard(key, "exp-2", NOW), "exp-1")).isEqualTo(new GuardTable.Written());
        assertThat(table.put(new Guard(key, "exp-3", NOW), "exp-1"))
                .isEqualTo(new GuardTable.Refused(Optional.of(new Guard(key, "exp-2", NOW))));
    }

    @Test
    void put_onAGuardThatIsGone_isRefusedWithNoHolder() {
        assertThat(table.put(new Guard(key(), "exp-2", NOW), "exp-1"))
                .isEqualTo(new GuardTable.Refused(Optional.empty()));
    }

    @Test
    void deleteIfOwner_leavesSomeoneElsesGuard() {
        String key = key();
        table.put(new Guard(key, "exp-1", NOW), null);

        table.deleteIfOwner(key, "exp-other");
        assertThat(table.put(new Guard(key, "exp-2", NOW), null)).isInstanceOf(GuardTable.Refused.class);

        table.deleteIfOwner(key, "exp-1");
        assertThat(table.put(new Guard(key, "exp-2", NOW), null)).isEqualTo(new GuardTable.Written());
    }

    @Test
    void putAllIfFree_commitsFreeGuards_andIsCancelledAsAWhole_namingTheHeldOne() {
        String a = key();
        String b = key();
        String held = key();
        table.put(new Guard(held, "exp-holder", NOW), null);

        var cancelled = table.putAllIfFree(List.of(new Guard(a, "exp-a", NOW), new Guard(held, "exp-h", NOW)));

        assertThat(cancelled).isInstanceOf(GuardTable.Cancelled.class);
        List<GuardTable.Reason> reasons = ((GuardTable.Cancelled) cancelled).reasons();
        assertThat(reasons).extracting(GuardTable.Reason::kind)
                .containsExactly(GuardTable.Kind.COLLATERAL, GuardTable.Kind.HELD);
        assertThat(reasons.get(1).holder()).as("ALL_OLD hands back the guard that holds the key")
                .contains(new Guard(held, "exp-holder", NOW));
        assertThat(table.put(new Guard(a, "exp-x", NOW), null)).as("nothing of a cancelled transaction is written")
                .isEqualTo(new GuardTable.Written());

        assertThat(table.putAllIfFree(List.of(new Guard(b, "exp-b", NOW)))).isEqualTo(new GuardTable.Committed());
        assertThat(table.put(new Guard(b, "exp-y", NOW), null))
                .isEqualTo(new GuardTable.Refused(Optional.of(new Guard(b, "exp-b", NOW))));
    }
}
