package com.mlplatform.logexport.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.local.TestTime;
import com.mlplatform.logexport.local.LocalPipeline;
import com.mlplatform.logexport.local.seed.SeedFile;
import com.mlplatform.logexport.shared.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User ids as a JWT may carry them, through the local gateway to the request API and the worker: a 1,000-character
 * email and a unicode id with a space and a slash, both seeded members, export and read their exports. The id goes
 * percent-encoded (as the page sends it) or as raw UTF-8 bytes (as curl sends what a terminal types); both name the
 * same user. A unicode id that is no member gets the API's 403, not the gateway's 401: it arrived intact.
 */
class DevIdentityIT {

    private static final String USECASE = "identities";
    private static final String JOB = "identity-check-1";
    private static final String EMAIL = email(1000);
    private static final String UNICODE = "jürgen 漢字/ops";
    private static final String STRANGER = "zoë 見知らぬ人";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @TempDir
    static Path dir;
    private static LocalPipeline stack;

    @BeforeAll
    static void start() throws IOException {
        var job = new SeedFile.TrainingJob(JOB, null, List.of(new SeedFile.Stream(null, "algo-1", "-1h", List.of(
                new SeedFile.Event("+1s", "epoch 1 loss=0.7"), new SeedFile.Event("+2s", "epoch 2 loss=0.3")))));
        var seed = new SeedFile(SeedFile.CURRENT_VERSION, "long and unicode user ids", List.of(), List.of(
                new SeedFile.UseCaseSeed(USECASE, null, "444444444444", null, null, null, List.of(EMAIL, UNICODE),
                        List.of(job))));
        Path file = Files.writeString(dir.resolve("identities.json"), seed.toJson());
        stack = LocalPipeline.start(LocalPipeline.Options.defaults().withPort(0).withSeed(file),
                new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aThousandCharacterEmail_shouldExport_andDownloadItsFile() throws Exception {
        assertThat(EMAIL).hasSize(1000);

        var created = encoded("POST", "/usecases/" + USECASE + "/trainings/" + JOB + "/log-exports", EMAIL);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode done = finished(Json.MAPPER.readTree(created.body()).path("exportId").asText(), EMAIL);

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        String file = HTTP.send(HttpRequest.newBuilder(URI.create(done.path("download").path("url").asText())).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        assertThat(file).contains("epoch 1 loss=0.7", "epoch 2 loss=0.3");
    }

    @Test
    void aUnicodeId_sentAsRawUtf8_shouldExport_andReadItsStatusPercentEncoded() throws Exception {
        String[] created = raw("POST", "/usecases/" + USECASE + "/trainings/" + JOB + "/log-exports", UNICODE);
        assertThat(created[0]).as(created[1]).isEqualTo("202");

        JsonNode done = finished(Json.MAPPER.readTree(created[1]).path("exportId").asText(), UNICODE);

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aUnicodeIdThatIsNoMember_shouldGetTheApisRefusal_notUnauthorized() throws Exception {
        var refused = encoded("POST", "/usecases/" + USECASE + "/trainings/" + JOB + "/log-exports", STRANGER);
        String[] rawRefused = raw("POST", "/usecases/" + USECASE + "/trainings/" + JOB + "/log-exports", STRANGER);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(refused.body()).path("error").path("message").asText()).isNotBlank();
        assertThat(rawRefused[0]).as(rawRefused[1]).isEqualTo("403");
    }

    /** An email of exactly {@code length} characters, as a federated identity provider may issue. */
    private static String email(int length) {
        String domain = "@research.ml-platform.example.com";
        return ("ada.lovelace+" + "training-log-exports.".repeat(length / 20)).substring(0, length - domain.length())
                + domain;
    }

    /** Polls the export's status as {@code user} until it is neither QUEUED nor RUNNING. */
    private static JsonNode finished(String exportId, String user) {
        JsonNode[] status = new JsonNode[1];
        TestTime.await("export " + exportId + " to finish", Duration.ofSeconds(60)).until(() -> {
            try {
                var response = encoded("GET", "/log-exports/" + exportId, user);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                status[0] = Json.MAPPER.readTree(response.body());
                return !status[0].path("status").asText().matches("QUEUED|RUNNING");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return status[0];
    }

    /** A call with the id percent-encoded, as the page sends it ({@code encodeURIComponent}). */
    private static HttpResponse<String> encoded(String method, String path, String user)
            throws IOException, InterruptedException {
        String header = URLEncoder.encode(user, StandardCharsets.UTF_8).replace("+", "%20");
        return HTTP.send(HttpRequest.newBuilder(stack.baseUri().resolve(path))
                        .method(method, HttpRequest.BodyPublishers.noBody()).header("X-Dev-User", header).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * A call with the id as raw UTF-8 bytes in the header, as {@code curl -H 'X-Dev-User: jürgen'} sends it (Java's
     * HTTP client would refuse such a value); returns the status code and the body.
     */
    private static String[] raw(String method, String path, String user) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), stack.baseUri().getPort())) {
            var out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Dev-User: ")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(user.getBytes(StandardCharsets.UTF_8));
            out.write("\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new String[] {response.split(" ", 3)[1], response.substring(response.indexOf("\r\n\r\n") + 4)};
        }
    }
}
