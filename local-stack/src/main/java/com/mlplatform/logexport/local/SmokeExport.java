package com.mlplatform.logexport.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.local.seed.Scenario;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One export through the running stack at start-up, the way a user would do it (HTTP request as a member,
 * status polling, presigned download), so {@code ./dev up} proves the pipeline works before anyone clicks and
 * shows where the file went and how it begins.
 */
final class SmokeExport {

    private final LocalPipeline stack;
    private final PrintStream console;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SmokeExport(LocalPipeline stack, PrintStream console) {
        this.stack = stack;
        this.console = console;
    }

    /** A member and a training job that has log streams, if the scenario has one. */
    record Pick(String user, String usecaseId, String trainingId) {
    }

    static Optional<Pick> pick(Scenario scenario) {
        for (Scenario.UseCaseView u : scenario.usecases()) {
            if (u.members().isEmpty()) {
                continue;
            }
            for (Scenario.JobView job : u.trainingJobs()) {
                if (job.events() > 0) {
                    return Optional.of(new Pick(u.members().get(0), u.id(), job.name()));
                }
            }
        }
        return Optional.empty();
    }

    void run(Duration timeout) throws IOException, InterruptedException {
        Optional<Pick> pick = pick(stack.scenario());
        if (pick.isEmpty()) {
            console.println("[smoke] the seed has no training job with logs and a member: nothing to export");
            return;
        }
        Pick p = pick.get();
        console.println("[smoke] exporting " + p.usecaseId() + "/" + p.trainingId() + " as " + p.user() + " ...");
        URI base = stack.baseUri();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("usecases/"
                        + enc(p.usecaseId()) + "/trainings/" + enc(p.trainingId()) + "/log-exports"))
                .header("X-Dev-User", p.user()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 202 && created.statusCode() != 200) {
            console.println("[smoke] the API answered " + created.statusCode() + ": " + created.body());
            return;
        }
        String exportId = Json.MAPPER.readTree(created.body()).path("exportId").asText();
        Instant deadline = Instant.now().plus(timeout);
        JsonNode status;
        do {
            Thread.sleep(500);
            status = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(base.resolve("log-exports/" + exportId))
                    .header("X-Dev-User", p.user()).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        } while (!finished(status.path("status").asText()) && Instant.now().isBefore(deadline));
        String state = status.path("status").asText();
        if (!state.equals("SUCCEEDED")) {
            console.println("[smoke] export " + exportId + " is " + state
                    + status.path("error").path("message").asText(""));
            return;
        }
        String url = status.path("download").path("url").asText();
        String body = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        console.println("[smoke] export " + exportId + " SUCCEEDED: " + location(exportId).orElse("?") + " ("
                + status.path("download").path("sizeBytes").asLong() + " bytes, "
                + status.path("progress").path("events").asLong() + " events)");
        console.println("[smoke] first lines of " + status.path("download").path("filename").asText() + ":");
        // The file's header (lines starting with '#') and then its first few log lines.
        int[] logLines = {0};
        body.lines().takeWhile(line -> logLines[0] < 6)
                .peek(line -> logLines[0] += line.startsWith("#") ? 0 : 1)
                .limit(40)
                .forEach(line -> console.println("    " + abbreviate(line)));
    }

    private Optional<String> location(String exportId) {
        return new ExportJobRepository(stack.clients().dynamo(), stack.platform().resources().exportsTable())
                .find(exportId).map(j -> j.result()).map(SmokeExport::s3Uri);
    }

    private static String s3Uri(ExportResult r) {
        return "s3://" + r.bucket() + "/" + r.key();
    }

    private static boolean finished(String status) {
        return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
    }

    private static String abbreviate(String line) {
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
