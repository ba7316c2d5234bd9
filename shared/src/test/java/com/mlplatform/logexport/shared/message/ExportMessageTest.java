package com.mlplatform.logexport.shared.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.message.ExportMessage.MalformedMessageException;
import org.junit.jupiter.api.Test;

class ExportMessageTest {

    @Test
    void toJson_shouldKeepTheWireShapePinned() {
        // Producers (request-api, worker continuations) and consumers (worker) deploy independently: this exact
        // shape is the contract between them. Changing it needs a new "v".
        assertThat(ExportMessage.start("exp-abc").toJson())
                .isEqualTo("{\"v\":1,\"exportId\":\"exp-abc\",\"continuation\":0}");
        assertThat(ExportMessage.start("exp-abc").next().next().toJson())
                .isEqualTo("{\"v\":1,\"exportId\":\"exp-abc\",\"continuation\":2}");
    }

    @Test
    void parse_shouldRoundTrip() throws Exception {
        var message = new ExportMessage(1, "exp-xyz", 3);
        assertThat(ExportMessage.parse(message.toJson())).isEqualTo(message);
    }

    @Test
    void parse_shouldRejectNonJson_withoutAnExportId() {
        assertThatThrownBy(() -> ExportMessage.parse("not json"))
                .isInstanceOf(MalformedMessageException.class)
                .extracting(e -> ((MalformedMessageException) e).exportId()).isNull();
    }

    @Test
    void parse_shouldRejectUnknownVersion_butStillNameTheJob() {
        assertThatThrownBy(() -> ExportMessage.parse("{\"v\":2,\"exportId\":\"exp-1\",\"continuation\":0}"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("unsupported message version 2")
                .extracting(e -> ((MalformedMessageException) e).exportId()).isEqualTo("exp-1");
    }

    @Test
    void parse_shouldRejectUnknownFields_andMissingExportId() {
        assertThatThrownBy(() -> ExportMessage.parse("{\"v\":1,\"exportId\":\"exp-1\",\"continuation\":0,\"x\":1}"))
                .isInstanceOf(MalformedMessageException.class)
                .extracting(e -> ((MalformedMessageException) e).exportId()).isEqualTo("exp-1");
        assertThatThrownBy(() -> ExportMessage.parse("{\"v\":1,\"continuation\":0}"))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ExportMessage.parse("")).isInstanceOf(MalformedMessageException.class);
    }
}
