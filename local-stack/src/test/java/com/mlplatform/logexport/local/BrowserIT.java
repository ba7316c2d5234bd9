package com.mlplatform.logexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.local.seed.SeedFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in headless Chromium against the whole local stack with the demo scenario: one export, one batch,
 * the errors a user can meet, and downloads through the presigned links whose files are checked line by line. The
 * demo gets one more member and job with the longest ids real data has ({@link #LONG_USER}, {@link #LONG_JOB}),
 * which must neither break the layout nor the calls.
 *
 * <p>Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} only ({@link SystemPackage}, which
 * {@code ./dev} installs), both named explicitly so Selenium Manager never runs and nothing is downloaded. Missing,
 * they fail this test with the command that installs them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserIT {

    static final Path CHROMIUM = SystemPackage.CHROMIUM.file();
    static final Path CHROMEDRIVER = SystemPackage.CHROMIUM_DRIVER.file();
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(90);
    /** For the UI to show what is already there (a card, a link); scaled ({@link TestTime#scaled}) like every wait. */
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    /** A federated user id of 128 characters, unbroken, with non-Latin-1 characters a header cannot carry raw. */
    static final String LONG_USER = ("jürgen.groß.漢字@" + "research-platform.".repeat(8)).substring(0, 128);
    /** The longest training job name SageMaker allows (63 characters), without a hyphen to break at. */
    static final String LONG_JOB = "FraudTransformerDistributedDataParallelAblationSweepRun" + "00421234";

    private static LocalPipeline stack;
    private static WebDriver browser;
    private static Path downloads;
    private static Path profile;
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("""
                        The browser test needs Debian's Chromium and its driver at %s and %s.
                        Run ./dev setup, which installs them (as root or through sudo), or as root:
                        apt-get update && apt-get install -y %s %s""", CHROMIUM, CHROMEDRIVER,
                        SystemPackage.CHROMIUM.debianName(), SystemPackage.CHROMIUM_DRIVER.debianName())
                .isTrue();
        Path seed = Files.createTempDirectory("browser-it-seed").resolve("demo-and-long-ids.json");
        Files.writeString(seed, demoWithLongIds().toJson());
        stack = LocalPipeline.start(LocalPipeline.Options.defaults().withPort(0).withSeed(seed),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        downloads = Files.createTempDirectory("browser-it-downloads");
        profile = Files.createTempDirectory("browser-it-profile");
        browser = chromium(downloads, profile);
        browser.get(stack.baseUri().toString());
        waitFor(UI_TIMEOUT, "the page to load the scenario",
                () -> "true".equals(browser.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    /** The demo, with {@link #LONG_USER} (not listed among users, so the page shows the id) in fraud-detection. */
    private static SeedFile demoWithLongIds() {
        SeedFile demo = SeedFile.demo();
        List<SeedFile.UseCaseSeed> usecases = new ArrayList<>();
        for (SeedFile.UseCaseSeed u : demo.usecases()) {
            if (u.id().equals("fraud-detection")) {
                List<String> members = new ArrayList<>(u.members());
                members.add(LONG_USER);
                List<SeedFile.TrainingJob> jobs = new ArrayList<>(u.trainingJobs());
                jobs.add(new SeedFile.TrainingJob(LONG_JOB, "A name as long as SageMaker allows", List.of(
                        new SeedFile.Stream(null, "algo-1", "-1h", List.of(
                                new SeedFile.Event("+1s", "epoch 1 loss=0.9"),
                                new SeedFile.Event("+2s", "epoch 2 loss=0.4"))))));
                u = new SeedFile.UseCaseSeed(u.id(), u.description(), u.accountId(), u.region(), u.externalId(),
                        u.logGroup(), members, jobs);
            }
            usecases.add(u);
        }
        return new SeedFile(demo.version(), demo.description(), demo.users(), usecases);
    }

    static WebDriver chromium(Path downloadDir, Path userDataDir) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1500", "--user-data-dir=" + userDataDir);
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloadDir.toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("safebrowsing.enabled", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            screenshot(Path.of("target", "browser-it.png"));
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static void choose(String user, String usecase) {
        new Select(browser.findElement(By.id("user"))).selectByValue(user);
        new Select(browser.findElement(By.id("usecase"))).selectByValue(usecase);
    }

    private static WebElement jobRow(String job) {
        return browser.findElement(By.cssSelector("#jobs tr[data-job='" + job + "']"));
    }

    private static WebElement exportCard(String job) {
        return browser.findElement(By.cssSelector("#exports .card[data-kind='export'][data-training-id='" + job
                + "']"));
    }

    @Test
    @Order(1)
    void oneExport_shouldGoToSucceeded_withAFullProgressBar_andDownloadTheMergedFile() throws IOException {
        choose("alice", "fraud-detection");
        jobRow("fraud-transformer-dist-v3").findElement(By.cssSelector("button.export-one")).click();

        WebElement card = waitForCard("fraud-transformer-dist-v3");
        waitFor(EXPORT_TIMEOUT, "the export to succeed", () -> "SUCCEEDED".equals(card.getDomAttribute("data-status")));
        assertThat(card.getDomAttribute("data-seen")).as("statuses the card showed, in order")
                .startsWith("QUEUED").endsWith("SUCCEEDED").doesNotContain("FAILED");
        assertThat(card.findElement(By.tagName("progress")).getDomProperty("value")).isEqualTo("1");
        assertThat(card.findElement(By.cssSelector(".detail")).getText()).contains("3/3 log streams");
        WebElement link = card.findElement(By.cssSelector("a[data-role='download']"));
        assertThat(link.getText()).startsWith("Download ");
        link.click();

        String file = downloaded(".log");
        assertThat(file)
                .contains("[1,mpirank:0,algo-1]<stdout>:Epoch 1/10 step 10/1200")
                .contains("[1,mpirank:2,algo-3]<stdout>:Epoch 10/10")
                .contains("UserWarning: This DataLoader will create 8 worker processes")
                .contains("torch.cuda.OutOfMemoryError: CUDA out of memory")
                .contains("✓ checkpoint saved")
                .contains("μ(grad)=");
        assertThat(file.lines().filter(l -> l.contains(" loss=")).count())
                .as("every step line of the three hosts").isEqualTo(3 * 10 * 120);
    }

    @Test
    @Order(2)
    void batch_shouldShowPerJobStatus_andDownloadEachFile() throws IOException {
        choose("bob", "churn-prediction");
        for (String job : List.of("churn-bert-multilingual", "churn-xgb-baseline")) {
            jobRow(job).findElement(By.cssSelector("input.pick")).click();
        }
        browser.findElement(By.id("export-batch")).click();

        WebElement batch = waitFor(UI_TIMEOUT, "the batch card",
                () -> browser.findElement(By.cssSelector("#exports .card[data-kind='batch']")));
        for (String job : List.of("churn-bert-multilingual", "churn-xgb-baseline")) {
            WebElement row = batch.findElement(By.cssSelector(".batch-row[data-training-id='" + job + "']"));
            waitFor(EXPORT_TIMEOUT, job + " to succeed in the batch",
                    () -> "SUCCEEDED".equals(row.getDomAttribute("data-status")));
            waitFor(UI_TIMEOUT, job + "'s download link",
                    () -> row.findElement(By.cssSelector("a[data-role='download']"))).click();
        }

        String bert = downloaded("churn-bert-multilingual");
        assertThat(bert).contains("解約したいです。最近つながりにくいので。", "Хочу отключить услугу", "😞",
                "'eval_f1': ");
        String xgb = downloaded("churn-xgb-baseline");
        assertThat(xgb).contains("[49]#011train-error:", "Reporting training SUCCESS");

        // "Download all": the page asks for the batch's archive and saves the zip once the worker has built it.
        waitFor(UI_TIMEOUT, "the Download all button",
                () -> batch.findElement(By.cssSelector("button[data-role='download-all']"))).click();
        waitFor(EXPORT_TIMEOUT, "the archive to be built",
                () -> "SUCCEEDED".equals(batch.findElement(By.cssSelector("[data-role='archive']"))
                        .getDomAttribute("data-status")));
        Path zip = downloadedFile("churn-prediction-batch-");
        assertThat(zip.getFileName().toString()).endsWith(".zip");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            for (ZipEntry e : Collections.list(z.entries())) {
                entries.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        assertThat(entries.keySet()).first().isEqualTo("manifest.json");
        for (String job : List.of("churn-bert-multilingual", "churn-xgb-baseline")) {
            Path single = downloadedFile(job);
            assertThat(entries.get(single.getFileName().toString())).as("%s in the zip, byte for byte", job)
                    .isEqualTo(Files.readAllBytes(single));
        }
        assertThat(new String(entries.get("manifest.json"), StandardCharsets.UTF_8))
                .contains("churn-bert-multilingual", "churn-xgb-baseline", "\"archived\" : 2");
        screenshot(Path.of("target", "browser-it-batch.png"));
    }

    @Test
    @Order(3)
    void errors_shouldShowTheApisMessage() {
        choose("alice", "fraud-detection");
        jobRow("fraud-gnn-pending").findElement(By.cssSelector("button.export-one")).click();
        WebElement noLogs = waitForCard("fraud-gnn-pending");
        waitFor(EXPORT_TIMEOUT, "the export without logs to fail",
                () -> "FAILED".equals(noLogs.getDomAttribute("data-status")));
        assertThat(noLogs.findElement(By.cssSelector("[data-role='error']")).getText()).containsIgnoringCase("no logs");

        choose("dan", "churn-prediction");
        assertThat(browser.findElement(By.id("membership")).getText()).contains("not a member");
        jobRow("churn-xgb-baseline").findElement(By.cssSelector("button.export-one")).click();
        WebElement denied = waitForCard("churn-xgb-baseline");
        waitFor(UI_TIMEOUT, "the refusal", () -> "ERROR".equals(denied.getDomAttribute("data-status")));
        assertThat(denied.findElement(By.cssSelector("[data-role='error']")).getText())
                .as("the API's own message, not a blank card").isNotBlank().doesNotContain("HTTP 4");
    }

    @Test
    @Order(4)
    void longIdsAndNames_shouldExportThroughThePage_withoutThePageScrollingSideways() {
        choose(LONG_USER, "fraud-detection");
        assertThat(browser.findElement(By.id("membership")).getText()).contains(LONG_USER + " is a member");
        jobRow(LONG_JOB).findElement(By.cssSelector("button.export-one")).click();
        WebElement card = waitForCard(LONG_JOB);
        waitFor(EXPORT_TIMEOUT, "the long-named export to succeed",
                () -> "SUCCEEDED".equals(card.getDomAttribute("data-status")));
        jobRow(LONG_JOB).findElement(By.cssSelector("input.pick")).click();
        browser.findElement(By.id("export-batch")).click();
        WebElement row = waitFor(UI_TIMEOUT, "the batch row of the long name", () -> browser.findElement(
                By.cssSelector("#exports .card[data-kind='batch'] .batch-row[data-training-id='" + LONG_JOB + "']")));
        waitFor(EXPORT_TIMEOUT, "the long-named batch item to succeed",
                () -> "SUCCEEDED".equals(row.getDomAttribute("data-status")));
        waitFor(UI_TIMEOUT, "the batch row's download link (a long file name)",
                () -> row.findElement(By.cssSelector("a[data-role='download']")));

        var picker = browser.findElement(By.id("user")).getRect();
        var pickerCard = browser.findElement(By.cssSelector("section.pickers")).getRect();
        assertThat(picker.getX() + picker.getWidth()).as("the user picker's right edge, within its card's")
                .isLessThanOrEqualTo(pickerCard.getX() + pickerCard.getWidth());
        var widths = (List<?>) ((JavascriptExecutor) browser).executeScript(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];");
        assertThat(((Number) widths.get(0)).longValue())
                .as("page width with a %d-character user id and a %d-character job name (clientWidth %s)",
                        LONG_USER.length(), LONG_JOB.length(), widths.get(1))
                .isLessThanOrEqualTo(((Number) widths.get(1)).longValue());
    }

    @Test
    @Order(5)
    void gzipChoice_shouldDownloadADotGzFile_thatGunzipsToTheLog() throws IOException {
        choose("alice", "fraud-detection");
        Select compression = new Select(browser.findElement(By.id("compression")));
        compression.selectByValue("gzip");
        try {
            jobRow("fraud-lgbm-spot-restart").findElement(By.cssSelector("button.export-one")).click();
            WebElement card = waitForCard("fraud-lgbm-spot-restart");
            waitFor(EXPORT_TIMEOUT, "the gzip export to succeed",
                    () -> "SUCCEEDED".equals(card.getDomAttribute("data-status")));
            WebElement link = card.findElement(By.cssSelector("a[data-role='download']"));
            assertThat(link.getText()).contains(".log.gz");
            link.click();

            Path file = downloadedFile("fraud-lgbm-spot-restart");
            assertThat(file.getFileName().toString()).as("saved compressed, under the .gz name").endsWith(".log.gz");
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .contains("Received SIGTERM, exiting", "Reporting training SUCCESS");
            }
        } finally {
            compression.selectByValue("none");
        }
    }

    private static WebElement waitForCard(String job) {
        return waitFor(UI_TIMEOUT, "the card of " + job, () -> exportCard(job));
    }

    /** The text of the one downloaded file whose name contains {@code part}, once Chromium has finished it. */
    private static String downloaded(String part) throws IOException {
        return Files.readString(downloadedFile(part), StandardCharsets.UTF_8);
    }

    /** The one downloaded file whose name contains {@code part}, once Chromium has finished it. */
    private static Path downloadedFile(String part) {
        Path[] found = new Path[1];
        TestTime.await("a finished download named *" + part + "*", Duration.ofSeconds(30)).until(() -> {
            try (Stream<Path> files = Files.list(downloads)) {
                List<Path> matches = files.filter(p -> p.getFileName().toString().contains(part)).toList();
                boolean done = matches.size() == 1 && !matches.get(0).toString().endsWith(".crdownload");
                found[0] = done ? matches.get(0) : null;
                return done;
            } catch (IOException e) {
                return false;
            }
        });
        return found[0];
    }

    /** Waits up to {@code timeout} times the time factor ({@link TestTime#scaled}) for {@code probe}. */
    private static <T> T waitFor(Duration timeout, String what, java.util.function.Supplier<T> probe) {
        try {
            return new WebDriverWait(browser, TestTime.scaled(timeout), Duration.ofMillis(200))
                    .withMessage(() -> what + "; console:\n" + console.toString(StandardCharsets.UTF_8))
                    .ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> {
                        T v = probe.get();
                        return v instanceof Boolean b && !b ? null : v;
                    });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }
}
