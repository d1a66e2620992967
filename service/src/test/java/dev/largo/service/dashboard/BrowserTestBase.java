package dev.largo.service.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.largo.db.testsupport.PostgresTestDatabase;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service in its default mode on a random port against the real test PostgreSQL, with a fresh headless
 * Chromium per test on the dashboard it serves at {@code /}. Tests start from empty tables. Screenshots go
 * to {@code service/target/screenshots/} (a build artifact).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class BrowserTestBase {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.registerProperties(registry);
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
            browser.close();
        }
    }

    String baseUrl() {
        return "http://localhost:" + port + "/";
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
