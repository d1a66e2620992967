package dev.largo.service.dashboard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system Chromium driven headless through the system ChromeDriver: nothing is downloaded (Selenium
 * Manager is never asked, because both executables are given). Where either is missing the calling test
 * is skipped, saying so.
 *
 * <p>Paths default to {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}; override them with the
 * system properties {@code largo.test.chromium} and {@code largo.test.chromedriver}.
 */
final class HeadlessChromium implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("largo.test.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("largo.test.chromedriver", "/usr/bin/chromedriver");
    static final int WIDTH = 1400;
    static final int HEIGHT = 1000;

    final ChromeDriver driver;
    final Path downloads;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile, Path downloads) {
        this.driver = driver;
        this.profile = profile;
        this.downloads = downloads;
    }

    /** Skips the calling test (JUnit assumption) when no Chromium or ChromeDriver is installed. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        String message = "browser test skipped: no Chromium at " + CHROMIUM + " or no ChromeDriver at " + CHROMEDRIVER
                + " (install chromium and chromium-driver, or set -Dlargo.test.chromium / -Dlargo.test.chromedriver)";
        if (!installed) {
            // Surefire does not print the reason of a class skipped from @BeforeAll; the build log should say it
            System.err.println("[WARNING] " + message);
        }
        assumeTrue(installed, message);
    }

    /** A fresh browser with its own temporary profile and download folder. */
    static HeadlessChromium start() {
        assumeInstalled();
        try {
            Path profile = Files.createTempDirectory("largo-chromium-profile");
            Path downloads = Files.createTempDirectory("largo-chromium-downloads");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile, "--window-size=" + WIDTH + "," + HEIGHT, "--hide-scrollbars");
            options.setExperimentalOption("prefs", Map.of(
                    "download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false,
                    "download.directory_upgrade", true,
                    "safebrowsing.enabled", false));
            // the console, for what the Content-Security-Policy refused (contentSecurityViolations)
            options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            // headless Chromium only saves downloads where it has been told it may
            driver.executeCdpCommand("Browser.setDownloadBehavior",
                    Map.of("behavior", "allow", "downloadPath", downloads.toString(), "eventsEnabled", true));
            return new HeadlessChromium(driver, profile, downloads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the browser refused under the service's Content-Security-Policy since the last call (console lines). */
    java.util.List<String> contentSecurityViolations() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy"))
                .toList();
    }

    /**
     * Saves a PNG of the whole page: the window is stretched to the page's height for the shot (charts
     * re-layout to the new size first) and restored afterwards.
     */
    Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            long height = (Long) ((JavascriptExecutor) driver).executeScript(
                    "return Math.ceil(document.documentElement.scrollHeight)");
            driver.manage().window().setSize(new Dimension(WIDTH, (int) Math.min(Math.max(height, HEIGHT), 12_000)));
            // let ResizeObserver-driven chart layouts and one animation frame run
            ((JavascriptExecutor) driver).executeAsyncScript(
                    "const done = arguments[0]; requestAnimationFrame(() => setTimeout(done, 300));");
            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            Files.write(file, png);
            driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
            deleteQuietly(downloads);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp folder is harmless
        }
    }
}
