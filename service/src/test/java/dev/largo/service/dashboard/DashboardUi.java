package dev.largo.service.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard as the browser test uses it: elements by their data-testid, and waits with clear messages. */
final class DashboardUi {

    static final Duration WAIT = Duration.ofSeconds(20);

    final WebDriver driver;
    private final String base;

    DashboardUi(WebDriver driver, int port) {
        this.driver = driver;
        this.base = "http://localhost:" + port + "/";
    }

    /** Opens a hash route, e.g. {@code "#/datasets"}, and waits for the page's marker element. */
    void open(String route, String readyTestId) {
        driver.get(base + route);
        await(readyTestId);
    }

    static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    WebElement await(String testId) {
        return until("[data-testid=" + testId + "] to be displayed", () -> {
            List<WebElement> found = driver.findElements(testId(testId));
            return found.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
        });
    }

    WebElement find(String testId) {
        return driver.findElement(testId(testId));
    }

    List<WebElement> all(String testId) {
        return driver.findElements(testId(testId));
    }

    void click(String testId) {
        await(testId).click();
    }

    void type(String testId, String text) {
        WebElement input = await(testId);
        input.clear();
        input.sendKeys(text);
    }

    void choose(String testId, String value) {
        new Select(await(testId)).selectByValue(value);
    }

    /** Writes bytes to a temp file and gives its path to a file input (what a user's file picker does). */
    void attach(String testId, String fileName, byte[] content) {
        try {
            Path dir = Files.createTempDirectory("largo-upload");
            Path file = dir.resolve(fileName);
            Files.write(file, content);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            driver.findElement(testId(testId)).sendKeys(file.toAbsolutePath().toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Waits until the supplier gives a non-null, non-false value (retrying through re-rendered elements). */
    <T> T until(String what, Supplier<T> condition) {
        return until(what, WAIT, condition);
    }

    <T> T until(String what, Duration timeout, Supplier<T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "waited " + timeout.toSeconds() + " s for " + what + " on " + driver.getCurrentUrl())
                .until(d -> {
                    T value = condition.get();
                    return Boolean.FALSE.equals(value) ? null : value;
                });
    }

    /** The row of a table whose data attribute has the value, e.g. row("dataset-row", "data-name", "cats"). */
    WebElement row(String rowTestId, String attribute, String value) {
        return until(rowTestId + " with " + attribute + "=" + value, () -> driver.findElements(
                By.cssSelector("[data-testid='" + rowTestId + "'][" + attribute + "='" + value + "']"))
                .stream().findFirst().orElse(null));
    }

    /** The status shown by the job page's badge. */
    String jobPageStatus() {
        return driver.findElement(By.cssSelector("[data-testid='job-detail'] .title-row [data-testid='status-badge']"))
                .getAttribute("data-status");
    }
}
