package com.mlplatform.logexport.worker.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Seed property 9: the download's Content-Disposition carries a descriptive, header-safe file name. */
class DownloadNameProperties {

    private static final Instant EXPORTED = Instant.parse("2026-03-04T05:06:07.890Z");
    private static final Pattern DISPOSITION = Pattern.compile(
            "^attachment; filename=\"([A-Za-z0-9._-]+)\"; filename\\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+)$");

    @Property
    void property9_anyTrainingJobName_givesAHeaderSafeDescriptiveName(@ForAll("trainingIds") String trainingId,
                                                                       @ForAll ExportFormat format,
                                                                       @ForAll ExportCompression compression) {
        String filename = DownloadName.filename(trainingId, EXPORTED, format, compression);

        assertThat(filename).doesNotContain("\r", "\n", "\"", "\\", "/", ";")
                .doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]")
                .endsWith("-logs-20260304T050607Z." + format.extension() + compression.suffix());
        String disposition = DownloadName.contentDisposition(filename);
        assertThat(disposition).as("a header value is printable ASCII").matches("[\\x20-\\x7e]+");
        Matcher m = DISPOSITION.matcher(disposition);
        assertThat(m.matches()).as(disposition).isTrue();
        assertThat(URLDecoder.decode(m.group(2).replace("+", "%2B"), StandardCharsets.UTF_8))
                .as("filename* decodes to the full name (RFC 8187)").isEqualTo(filename);
        assertThat(m.group(1)).as("ASCII fallback").isEqualTo(DownloadName.asciiFallback(filename));
    }

    @Property
    void property9_sageMakerJobNames_appearUnchanged(@ForAll("sageMakerNames") String trainingId) {
        assertThat(DownloadName.filename(trainingId, EXPORTED, ExportFormat.TEXT, ExportCompression.NONE))
                .isEqualTo(trainingId + "-logs-20260304T050607Z.log");
        assertThat(DownloadName.contentDisposition(trainingId + "-logs-20260304T050607Z.log"))
                .isEqualTo("attachment; filename=\"" + trainingId + "-logs-20260304T050607Z.log\"; filename*=UTF-8''"
                        + trainingId + "-logs-20260304T050607Z.log");
    }

    @Example
    void nonAsciiNames_useFilenameStar() {
        String name = DownloadName.filename("modèle-日本", EXPORTED, ExportFormat.JSONL, ExportCompression.NONE);
        assertThat(name).isEqualTo("modèle-日本-logs-20260304T050607Z.jsonl");
        assertThat(DownloadName.contentDisposition(name)).isEqualTo("attachment; "
                + "filename=\"mod_le-__-logs-20260304T050607Z.jsonl\"; "
                + "filename*=UTF-8''mod%C3%A8le-%E6%97%A5%E6%9C%AC-logs-20260304T050607Z.jsonl");
    }

    @Example
    void headerInjection_isNeutralised() {
        String name = DownloadName.filename("job\r\nSet-Cookie: a=b\"; x", EXPORTED, ExportFormat.TEXT,
                ExportCompression.NONE);
        assertThat(name).isEqualTo("job__Set-Cookie: a=b__ x-logs-20260304T050607Z.log");
    }

    @Provide
    Arbitrary<String> trainingIds() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(300),
                Arbitraries.strings().withChars('\r', '\n', '"', '\\', '/', ';', ' ', 'a', 'é', '日', '\u2028')
                        .ofMinLength(0).ofMaxLength(40),
                sageMakerNames());
    }

    @Provide
    Arbitrary<String> sageMakerNames() {
        // SageMaker training job names: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars('-').ofMinLength(1).ofMaxLength(63)
                .filter(s -> Character.isLetterOrDigit(s.charAt(0)) && Character.isLetterOrDigit(s.charAt(s.length() - 1)));
    }
}
