package dev.largo.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.largo.db.testsupport.PostgresTestDatabase;
import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.ModelFiles;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service in its default mode on a random port against the real test PostgreSQL, with a fresh headless
 * Chromium per test on the dashboard it serves at {@code /}. Tests start from empty tables. Screenshots go
 * to {@code service/target/screenshots/} (a build artifact).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class BrowserTestBase {

    /** The labels of the small datasets the tests upload (as many as the tiny ViT has). */
    static final List<String> CLASSES = List.of("circle", "square", "triangle");

    static final JsonMapper JSON = JsonMapper.builder().build();

    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.registerProperties(registry);
        // as in ServiceIntegrationTest: the text tests register all-MiniLM-L6-v2 themselves, from the build's cache
        registry.add("largo.builtins.text-model", () -> "false");
        registry.add("largo.builtins.cache-dir", () -> "target/builtins-cache");
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    HeadlessChromium browser;
    DashboardUi ui;

    /** Skips the class before the application context starts when there is no browser to drive. */
    @BeforeAll
    static void requireBrowser() {
        HeadlessChromium.assumeInstalled();
    }

    @BeforeEach
    void startBrowser() {
        PostgresTestDatabase.truncateAllTables(dataSource);
        browser = HeadlessChromium.start();
        ui = new DashboardUi(browser.driver, port);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            try {
                assertThat(browser.contentSecurityViolations())
                        .as("the dashboard runs under its Content-Security-Policy without a refusal").isEmpty();
            } finally {
                browser.close();
            }
        }
    }

    String baseUrl() {
        return "http://localhost:" + port + "/";
    }

    /**
     * Uploads an ImageFolder zip of {@link #CLASSES} (8x8 grayscale, 4 per class) through the datasets page and
     * returns its id once it is listed; checks that the progress bar followed the upload to its last byte.
     */
    String uploadDataset(String name, String split, String domain, long seed) {
        if (ui.all("dataset-upload-form").stream().noneMatch(WebElement::isDisplayed)) {
            ui.open("#/datasets", "datasets-table");
        }
        ui.attach("dataset-file", name + ".zip", DatasetFiles.imageFolderZip(CLASSES, 4, 8, seed));
        ui.type("dataset-name", name);
        ui.type("dataset-split", split);
        ui.type("dataset-domain", domain);
        ui.click("dataset-upload-submit");
        ui.until("the upload of " + name + " to finish", () -> ui.find("dataset-upload-done").getText().contains(name));
        assertThat(ui.script("const p = document.querySelector(\"[data-testid='dataset-upload-progress']\");"
                + " return p.max > 1 && p.value === p.max")).isEqualTo(true);
        return ui.row("dataset-row", "data-name", name).getAttribute("data-dataset-id");
    }

    /** Uploads the tiny ViT of {@link ModelFiles} through the models page; returns its id once it is listed. */
    String uploadTinyModel(String name) {
        ui.open("#/models", "models-table");
        ui.click("model-upload-toggle");
        ui.attach("model-config", "config.json", ModelFiles.TINY_VIT_CONFIG.getBytes(StandardCharsets.UTF_8));
        ui.attach("model-weights", "model.safetensors", ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG));
        ui.type("model-name", name);
        ui.type("model-hub-id", "acme/" + name);
        ui.click("model-upload-submit");
        ui.await("model-upload-done");
        return ui.row("model-row", "data-name", name).getAttribute("data-model-id");
    }

    /** How many points the Chart.js chart in the card with this test id holds in its first series. */
    long chartPoints(String cardTestId) {
        Object n = ui.script("const canvas = document.querySelector(\"[data-testid='" + cardTestId + "'] canvas\");"
                + "const chart = canvas && Chart.getChart(canvas);"
                + "return chart && chart.data.datasets.length ? chart.data.datasets[0].data.length : 0;");
        return ((Number) n).longValue();
    }

    /** The finished download with this extension (Chromium writes *.crdownload until it is complete). */
    Path downloaded(String extension) {
        try (var files = Files.list(browser.downloads)) {
            return files.filter(f -> f.getFileName().toString().endsWith(extension)).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** A plain GET on the service (beside the browser), for checks the page does not show. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A plain JSON POST on the service, for setting up what the page under test then shows. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
}
