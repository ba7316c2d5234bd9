package com.mlplatform.logexport.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void unsetOrBlank_givesTheFallback() {
        Env env = new Env(Map.of("BLANK", "  "));
        assertThat(env.number("MISSING", 7)).isEqualTo(7);
        assertThat(env.number("BLANK", 7)).isEqualTo(7);
        assertThat(env.seconds("MISSING", Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(2));
        assertThat(env.text("BLANK", "x")).isEqualTo("x");
    }

    @Test
    void numbers_areTrimmed_andABadOneNamesTheVariable() {
        Env env = new Env(Map.of("GOOD", " 42 ", "BAD", "4o"));
        assertThat(env.number("GOOD", 0)).isEqualTo(42);
        assertThatThrownBy(() -> env.number("BAD", 0)).hasMessageContaining("BAD").hasMessageContaining("'4o'");
    }

    @Test
    void required_namesTheMissingVariable() {
        assertThatThrownBy(() -> new Env(Map.of()).required("EXPORTS_TABLE"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("EXPORTS_TABLE");
    }
}
