package dev.largo.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.largo.service.testsupport.ContinualResults;
import tools.jackson.databind.JsonNode;


/**
 * The dashboard end to end through a real browser on the real service, for everything that does not need a
 * job to run: every page, the API key entry, model and dataset uploads (a refused one included), dataset
 * delete, the job form's client-side checks and submission, the new job in the list, cancelling it, and a
 * continual job's tasks and accuracy-matrix heatmap.
 */
class DashboardBrowserTest extends BrowserTestBase {

    /** The API docs (Swagger UI) render the contract's operations under the same Content-Security-Policy. */
    @Test
    void theApiDocsRenderUnderTheContentSecurityPolicy() {
        browser.driver.get(baseUrl() + "docs");
        ui.until("the docs to list the operations",
                () -> browser.driver.findElements(By.cssSelector(".opblock")).size() >= 20 ? true : null);
    }

    @Test
    void browsesUploadsSubmitsAndCancelsThroughTheDashboard() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);

        // The shell is served at / with Chart.js from its WebJar (versionless path, no CDN).
        assertThat(get("webjars/chart.js/dist/chart.umd.js").statusCode()).isEqualTo(200);
        ui.open("", "jobs-table");
        assertThat(ui.script("return typeof Chart")).isEqualTo("function");
        ui.until("the empty jobs list", () -> ui.find("jobs-body").getText().contains("No jobs yet"));

        // The API key is kept in this tab's session storage and can be cleared again.
        ui.click("api-key-toggle");
        ui.type("api-key-input", "sk-browser-test");
        ui.click("api-key-save");
        assertThat(ui.script("return sessionStorage.getItem('largo.apiKey')")).isEqualTo("sk-browser-test");
        assertThat(ui.find("api-key-toggle").getText()).contains("✓");
        ui.click("api-key-toggle");
        ui.click("api-key-clear");
        assertThat(ui.script("return sessionStorage.getItem('largo.apiKey')")).isNull();

        // Models page: upload a tiny ViT through the form.
        String modelName = "tiny-vit-" + run;
        String modelId = uploadTinyModel(modelName);
        assertThat(get("v1/models/" + modelId).body()).as("the form sends the Hub id")
                .contains("\"hub_id\":\"acme/" + modelName + "\"");

        // Datasets page: a file the API refuses shows its problem+json, and nothing is listed.
        ui.click("nav-datasets");
        ui.await("datasets-table");
        ui.attach("dataset-file", "broken.zip", "this is not a zip archive".getBytes(StandardCharsets.UTF_8));
        ui.type("dataset-name", "broken-" + run);
        ui.click("dataset-upload-submit");
        WebElement problem = ui.await("dataset-upload-problem");
        assertThat(problem.getText()).contains("422");
        assertThat(ui.all("dataset-row")).isEmpty();

        // Three good uploads; the third is deleted again.
        String trainId = uploadDataset("shapes-train-" + run, "train", "clean", 11);
        String shiftedId = uploadDataset("shapes-shifted-" + run, "test", "shifted", 12);
        String scratchId = uploadDataset("shapes-scratch-" + run, "test", "clean", 13);
        WebElement scratch = ui.row("dataset-row", "data-dataset-id", scratchId);
        scratch.findElement(DashboardUi.testId("dataset-delete")).click();
        scratch.findElement(DashboardUi.testId("dataset-delete")).click(); // confirm
        ui.until("the deleted dataset to leave the list",
                () -> ui.driver.findElements(By.cssSelector("[data-dataset-id='" + scratchId + "']")).isEmpty());
        assertThat(get("v1/datasets/" + scratchId).statusCode()).isEqualTo(404);
        browser.screenshot(SCREENSHOTS.resolve("datasets.png"));

        // Job form: choosing the training data suggests the other dataset as an OOD split (its domain differs).
        ui.click("nav-new");
        ui.await("job-form");
        ui.choose("base-model", modelId);
        ui.choose("training-dataset", trainId);
        ui.until("one suggested evaluation split", () -> ui.all("split-row").size() == 1);
        assertThat(ui.find("split-dataset-0").getAttribute("value")).isEqualTo(shiftedId);
        assertThat(ui.find("split-kind-0").getAttribute("value")).isEqualTo("ood");
        // the method options and hyperparameters come from the contract, prefilled with its defaults
        assertThat(ui.find("field-method-lora-r").getAttribute("value")).isEqualTo("8");
        assertThat(ui.find("field-hyperparameters-epochs").getAttribute("value")).isEqualTo("3");

        // Client-side checks use the contract's limits, exclusive bounds included: epochs 0 and a learning
        // rate of 0 are refused before anything is sent.
        ui.type("field-hyperparameters-epochs", "0");
        ui.type("field-hyperparameters-learning_rate", "0");
        ui.click("submit-job");
        assertThat(ui.await("field-hyperparameters-epochs-error").getText()).contains("1 to 100");
        assertThat(ui.await("field-hyperparameters-learning_rate-error").getText()).contains("above 0");
        ui.await("client-validation");
        assertThat(ui.driver.getCurrentUrl()).endsWith("#/new");
        browser.screenshot(SCREENSHOTS.resolve("new-job-form.png"));

        // A long job (many tiny steps) so that it is still cancellable when a worker picks it up at once.
        ui.type("field-hyperparameters-epochs", "100");
        ui.type("field-hyperparameters-learning_rate", "0.001");
        ui.type("field-hyperparameters-batch_size", "1");
        ui.click("submit-job");
        WebElement detail = ui.await("job-detail");
        String jobId = detail.getAttribute("data-job-id");
        assertThat(ui.driver.getCurrentUrl()).endsWith("#/jobs/" + jobId);

        // Jobs list: the new job, waiting for (or just claimed by) a worker.
        ui.click("nav-jobs");
        WebElement row = ui.row("job-row", "data-job-id", jobId);
        assertThat(row.getAttribute("data-status")).isIn("queued", "running");
        assertThat(row.getText()).contains(modelName).contains("LARGO");
        browser.screenshot(SCREENSHOTS.resolve("jobs.png"));

        // Job page: downloads wait for success; cancelling takes a confirmation click.
        row.findElement(DashboardUi.testId("job-link")).click();
        ui.await("job-detail");
        ui.until("the job page to show the job", () -> ui.find("job-detail").getAttribute("data-status") != null);
        assertThat(ui.find("download-peft").isEnabled()).isFalse();
        assertThat(ui.find("download-merged").isEnabled()).isFalse();
        ui.click("cancel-job");
        assertThat(ui.find("cancel-job").getText()).isEqualTo("Confirm cancel");
        ui.click("cancel-job");
        ui.until("the job to show as cancelled", Duration.ofSeconds(60), () -> "cancelled".equals(ui.jobPageStatus()));
        assertThat(ui.all("cancel-job")).isEmpty();
        assertThat(get("v1/fine-tuning/jobs/" + jobId).body()).contains("\"status\":\"cancelled\"");
        browser.screenshot(SCREENSHOTS.resolve("job-detail-cancelled.png"));

        // The jobs list filter shows it among the cancelled jobs only.
        ui.click("nav-jobs");
        ui.choose("status-filter", "cancelled");
        ui.row("job-row", "data-job-id", jobId);
        ui.choose("status-filter", "queued");
        ui.until("the queued filter to leave the cancelled job out",
                () -> ui.driver.findElements(By.cssSelector("[data-job-id='" + jobId + "'][data-testid='job-row']")).isEmpty()
                        && ui.find("jobs-body").getText().contains("No queued jobs"));

        // Cursor pagination: with 22 jobs the list shows a page of 20 and "Load more" fetches the rest.
        List<String> more = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            more.add(createJob(modelId, trainId, shiftedId));
        }
        try {
            ui.open("#/jobs", "jobs-table");
            ui.until("a first page of 20 jobs", () -> ui.all("job-row").size() == 20);
            ui.click("jobs-more");
            ui.until("all 22 jobs after Load more", () -> ui.all("job-row").size() == 22);
            ui.row("job-row", "data-job-id", jobId);
            assertThat(ui.find("jobs-more").isDisplayed()).isFalse();
        } finally {
            for (String id : more) {
                post("v1/fine-tuning/jobs/" + id + "/cancel", "");
            }
        }

        // A continual job's page: its tasks with AA and BWT, and the accuracy matrix as a heatmap. (What a worker
        // writes after each task is written here; ContinualJobEndToEndTest trains a real one.)
        String continual = createContinualJob(modelId, trainId, shiftedId);
        ContinualResults.record(new JdbcTemplate(dataSource), UUID.fromString(continual),
                new double[][] {{0.90, 0.35}, {0.70, 0.80}});
        ui.open("#/jobs/" + continual, "job-detail");
        ui.until("the continual job's heatmap", () -> ui.all("heatmap-cell").size() == 4);
        List<WebElement> cells = ui.all("heatmap-cell");
        assertThat(cells.stream().map(WebElement::getText)).containsExactly("90.0%", "35.0%", "70.0%", "80.0%");
        // coloured by accuracy: the best cell greener (higher hue) than the worst
        String best = cells.get(0).getCssValue("background-color");
        String worst = cells.get(1).getCssValue("background-color");
        assertThat(best).isNotEqualTo(worst).doesNotContain("rgba(0, 0, 0, 0)");
        assertThat(cells.get(1).getAttribute("class")).contains("forward");
        assertThat(ui.all("heatmap-aa").stream().map(WebElement::getText)).containsExactly("90.0%", "75.0%");
        assertThat(ui.all("heatmap-bwt").stream().map(WebElement::getText)).containsExactly("—", "-20.0 pp");
        assertThat(ui.all("task-row").stream().map(r -> r.getAttribute("data-status"))).containsExactly("succeeded",
                "succeeded");
        assertThat(ui.all("task-bwt").get(1).getText()).isEqualTo("-20.0 pp");
        assertThat(ui.find("job-current-task").getText()).contains("task-2");
        assertThat(chartPoints("chart-continual")).isEqualTo(2);
        browser.screenshot(SCREENSHOTS.resolve("job-detail-continual.png"));
    }

    /**
     * The job form offers the single-task methods of the engine's registry ({@code GET /v1/methods}) and shows each
     * one's description, settings blocks, prescribed LoRA init and default learning rate from there: a method's
     * fields follow its registration, not knowledge written into the page.
     */
    @Test
    void theJobFormShowsEachMethodsSettingsFromTheRegistry() throws Exception {
        HttpResponse<String> listed = get("v1/methods");
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        ui.open("#/new", "job-form");
        List<String> offered = new ArrayList<>();
        for (JsonNode method : JSON.readTree(listed.body()).get("data")) {
            String type = method.get("type").asString();
            if (!method.get("single_task").asBoolean()) {
                continue;
            }
            offered.add(type);
            ui.choose("method-type", type);
            assertThat(ui.find("method-description").getText()).isEqualTo(method.get("description").asString());
            List<String> settings = new ArrayList<>();
            method.get("settings").forEach(block -> settings.add(block.asString()));
            for (String block : List.of("lora", "largo")) {
                assertThat(ui.find(block + "-options").isDisplayed()).as(type + " shows " + block)
                        .isEqualTo(settings.contains(block));
            }
            if (settings.contains("lora")) {
                WebElement init = ui.find("field-method-lora-init");
                boolean configurable = method.get("lora_init_configurable").asBoolean();
                assertThat(init.isEnabled()).as(type + "'s init is settable").isEqualTo(configurable);
                if (!configurable) {
                    assertThat(init.getAttribute("value")).isEqualTo(method.at("/defaults/lora/init").asString());
                }
            }
            String rate = ui.find("field-hyperparameters-learning_rate").getAttribute("placeholder");
            assertThat(Double.parseDouble(rate.substring(0, rate.indexOf(' ')))).as(type + "'s default rate")
                    .isEqualTo(method.get("default_learning_rate").asDouble());
        }
        assertThat(new Select(ui.find("method-type")).getOptions()).extracting(o -> o.getAttribute("value"))
                .containsExactlyElementsOf(offered);
        assertThat(offered).contains("largo", "lora", "ftp").doesNotContain("gorp", "joint");
    }

    /** A continual job of two tasks created through the API; returns its id. */
    private String createContinualJob(String modelId, String firstId, String secondId) throws Exception {
        HttpResponse<String> created = post("v1/fine-tuning/jobs", "{\"base_model\": \"" + modelId + "\", \"tasks\": ["
                + "{\"training_dataset\": \"" + firstId + "\", \"evaluation_splits\": [{\"dataset\": \"" + firstId
                + "\", \"kind\": \"id\"}]}, {\"training_dataset\": \"" + secondId + "\", \"evaluation_splits\":"
                + " [{\"dataset\": \"" + secondId + "\", \"kind\": \"ood\"}]}], \"method\": {\"type\": \"gorp\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asString();
    }

    /** A job created through the API (the page is not what is under test here); returns its id. */
    private String createJob(String modelId, String trainId, String evalId) throws Exception {
        HttpResponse<String> created = post("v1/fine-tuning/jobs", "{\"base_model\": \"" + modelId + "\","
                + " \"training_dataset\": \"" + trainId + "\","
                + " \"evaluation_splits\": [{\"dataset\": \"" + evalId + "\", \"kind\": \"ood\"}],"
                + " \"method\": {\"type\": \"linear_probe\"}, \"hyperparameters\": {\"epochs\": 1}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asString();
    }
}
