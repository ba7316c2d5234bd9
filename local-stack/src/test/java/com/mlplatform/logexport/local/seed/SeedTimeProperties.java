package com.mlplatform.logexport.local.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

class SeedTimeProperties {

    private static final Instant NOW = Instant.parse("2030-03-04T05:06:07.089Z");

    @Property
    void before_shouldResolveToNowMinusTheDuration(@ForAll @LongRange(min = 0, max = 14L * 86_400_000) long millis) {
        Duration d = Duration.ofMillis(millis);
        String written = SeedTime.before(d);

        assertThat(SeedTime.resolve(written, NOW, Optional.empty()))
                .as("%s read back", written)
                .isEqualTo(NOW.minus(d));
    }

    @Property
    void after_shouldResolveRelativeToTheStreamStart(@ForAll @LongRange(min = 0, max = 86_400_000) long millis) {
        Instant start = NOW.minus(Duration.ofHours(30));
        String written = SeedTime.after(Duration.ofMillis(millis));

        assertThat(SeedTime.resolve(written, NOW, Optional.of(start))).isEqualTo(start.plusMillis(millis));
    }

    @Property
    void resolve_shouldRejectText_thatIsNoTimestamp(@ForAll @StringLength(min = 1, max = 12) String junk) {
        String value = "-x" + junk;

        assertThatThrownBy(() -> SeedTime.resolve(value, NOW, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read timestamp");
    }

    @Example
    void resolve_shouldAcceptTheDocumentedForms() {
        assertThat(SeedTime.resolve("now", NOW, Optional.empty())).isEqualTo(NOW);
        assertThat(SeedTime.resolve("-2h", NOW, Optional.empty())).isEqualTo(NOW.minusSeconds(7200));
        assertThat(SeedTime.resolve("-1h30m", NOW, Optional.empty())).isEqualTo(NOW.minusSeconds(5400));
        assertThat(SeedTime.resolve("-90s", NOW, Optional.empty())).isEqualTo(NOW.minusSeconds(90));
        assertThat(SeedTime.resolve("-250ms", NOW, Optional.empty())).isEqualTo(NOW.minusMillis(250));
        assertThat(SeedTime.resolve("-1d2h", NOW, Optional.empty())).isEqualTo(NOW.minusSeconds(93_600));
        assertThat(SeedTime.resolve("-1m0.5s", NOW, Optional.empty())).isEqualTo(NOW.minusMillis(60_500));
        assertThat(SeedTime.resolve("+12.5s", NOW, Optional.of(NOW))).isEqualTo(NOW.plusMillis(12_500));
        assertThat(SeedTime.resolve("2030-03-04T00:00:00Z", NOW, Optional.empty()))
                .isEqualTo(Instant.parse("2030-03-04T00:00:00Z"));
        assertThat(SeedTime.resolve("1900000000000", NOW, Optional.empty()))
                .isEqualTo(Instant.ofEpochMilli(1_900_000_000_000L));
    }

    @Example
    void resolve_shouldRefusePlusForms_whenTheStreamHasNoStart() {
        assertThatThrownBy(() -> SeedTime.resolve("+1s", NOW, Optional.empty()))
                .hasMessageContaining("startedAt");
    }

    @Example
    void resolve_shouldRefuseEmptyDurationsAndUnitsOutOfOrder() {
        for (String bad : new String[] {"-", "+", "-h", "-30s2m", "-1.5h", "yesterday", ""}) {
            assertThatThrownBy(() -> SeedTime.resolve(bad, NOW, Optional.of(NOW)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
