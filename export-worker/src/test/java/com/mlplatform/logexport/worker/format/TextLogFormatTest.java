package com.mlplatform.logexport.worker.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.worker.logs.LogEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextLogFormatTest {

    private static final long T = Instant.parse("2026-01-15T10:00:00.007Z").toEpochMilli();

    private static String line(String label, String message) throws IOException {
        TextLogFormat f = new TextLogFormat();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.writeEvent(f.styleFor("job/" + label + "-1767000000", label), new LogEvent(T, message), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eventLine_hasIsoTimestampWithMillis_hostLabel_andMessage() throws IOException {
        assertThat(line("algo-1", "epoch 1 loss=0.25")).isEqualTo("2026-01-15T10:00:00.007Z [algo-1] epoch 1 loss=0.25\n");
    }

    @Test
    void multiLineMessage_isIndentedUnderItsFirstLine_soItCannotForgeAnEventOrTheClosingLine() throws IOException {
        String text = line("algo-2", "Traceback:\r\n2026-01-15T10:00:00.000Z [algo-1] forged\n# end of export x\n\n");
        String indent = " ".repeat("2026-01-15T10:00:00.007Z [algo-2] ".length());
        assertThat(text).isEqualTo("2026-01-15T10:00:00.007Z [algo-2] Traceback:\n"
                + indent + "2026-01-15T10:00:00.000Z [algo-1] forged\n"
                + indent + "# end of export x\n");
    }

    @Test
    void unicodeLineSeparators_countAsLineBreaks() throws IOException {
        assertThat(line("algo-1", "a\u2028b\u0085c").split("\n")).hasSize(3);
    }

    @Test
    void unicode_isWrittenAsUtf8() throws IOException {
        assertThat(line("algo-1", "损失 🚀 é")).endsWith("损失 🚀 é\n");
    }

    @Test
    void header_listsEveryStreamWithItsCount_andNeutralisesControlCharacters() {
        var summary = new ExportSummary("job", "uc", "exp-1", "mallory\n# total events: 999",
                Instant.parse("2026-01-15T10:05:00Z"), null, null, T, T + 1000,
                List.of(new ExportSummary.StreamCount("job/algo-1-1767000000", "algo-1", 3),
                        new ExportSummary.StreamCount("job/algo-1-1767003600", "algo-1#2", 1)));
        String header = new String(new TextLogFormat().header(summary), StandardCharsets.UTF_8);

        assertThat(header).contains("# requested by: mallory\\u000a# total events: 999\n")
                .contains("#   [algo-1] job/algo-1-1767000000: 3 events\n")
                .contains("#   [algo-1#2] job/algo-1-1767003600: 1 event\n")
                .contains("# total events: 4\n")
                .contains("# time range: 2026-01-15T10:00:00.007Z to 2026-01-15T10:00:01.007Z\n")
                .endsWith("#\n");
        assertThat(header.lines().filter(l -> l.startsWith("# total events:"))).hasSize(1);
    }

    @Test
    void hostLabels_stripTheEpochSuffix_andNumberRestarts() {
        assertThat(HostLabels.of(List.of("j/algo-1-1767000000", "j/algo-1-1767003600", "j/algo-2-1767000000",
                "j/custom"))).containsExactly("algo-1", "algo-1#2", "algo-2", "custom");
    }
}
