package dev.largo.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import tools.jackson.databind.JsonNode;

import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.TextModelFiles;

/**
 * Text through the dashboard in a real browser: a BERT checkpoint uploads with its tokenizer and is listed as a
 * text model, a JSONL dataset shows its label counts and its first rows, and the job form offers a text model
 * only the text datasets and the max_seq_length hyperparameter (an image model neither), then creates the job.
 */
class TextDashboardBrowserTest extends BrowserTestBase {

    private static final List<String> SENTIMENT = List.of("negative", "positive");

    @Test
    void uploadsATextModelShowsTextDatasetsAndSubmitsATextJob() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);

        // Models page: config, weights and tokenizer.json through the form; listed as a bert text model.
        String config = TextModelFiles.config(TextModelFiles.VOCAB);
        String bertName = "tiny-bert-" + run;
        String vitId = uploadTinyModel("tiny-vit-" + run); // leaves the models page with its upload form open
        ui.attach("model-config", "config.json", config.getBytes(StandardCharsets.UTF_8));
        ui.attach("model-weights", "model.safetensors", TextModelFiles.weightsFor(config, 5));
        ui.attach("model-tokenizer", "tokenizer.json", TextModelFiles.tokenizer());
        ui.type("model-name", bertName);
        ui.click("model-upload-submit");
        assertThat(ui.await("model-upload-done").getText()).contains("bert");
        WebElement bertRow = ui.row("model-row", "data-name", bertName);
        String bertId = bertRow.getAttribute("data-model-id");
        assertThat(bertRow.findElement(DashboardUi.testId("model-input")).getText()).contains("text");

        // Datasets page: a JSONL upload shows its label counts and, on demand, its first rows.
        ui.click("nav-datasets");
        ui.await("datasets-table");
        String trainName = "reviews-train-" + run;
        ui.attach("dataset-file", trainName + ".jsonl", DatasetFiles.jsonl(SENTIMENT, 8));
        ui.type("dataset-name", trainName);
        ui.type("dataset-domain", "amazon");
        ui.click("dataset-upload-submit");
        ui.until("the text upload to finish", () -> ui.find("dataset-upload-done").getText().contains(trainName));
        WebElement train = ui.row("dataset-row", "data-name", trainName);
        String trainId = train.getAttribute("data-dataset-id");
        assertThat(train.findElement(DashboardUi.testId("dataset-classes")).getText())
                .contains("negative 4", "positive 4");
        train.findElement(DashboardUi.testId("dataset-examples-toggle")).click();
        ui.until("five example rows", () -> ui.all("dataset-example").size() == 5);
        assertThat(ui.find("dataset-examples").getText()).contains("example number 0", "negative", "positive");
        String testId = uploadText("reviews-test-" + run, "test", "yelp");
        String imagesId = uploadDataset("shapes-" + run, "train", "clean", 3);
        browser.screenshot(SCREENSHOTS.resolve("datasets-text.png"));

        // Job form: a text model is offered only the text datasets, and max_seq_length (default 128).
        ui.click("nav-new");
        ui.await("job-form");
        ui.choose("base-model", bertId);
        assertThat(optionValues("training-dataset")).contains(trainId, testId).doesNotContain(imagesId);
        WebElement maxSeq = ui.find("field-hyperparameters-max_seq_length");
        assertThat(maxSeq.isDisplayed()).isTrue();
        assertThat(maxSeq.getAttribute("value")).isEqualTo("128");
        ui.choose("base-model", vitId);
        assertThat(optionValues("training-dataset")).contains(imagesId).doesNotContain(trainId, testId);
        assertThat(ui.find("field-hyperparameters-max_seq_length").isDisplayed()).isFalse();

        ui.choose("base-model", bertId);
        ui.choose("training-dataset", trainId);
        ui.until("the text test set suggested as an OOD split", () -> ui.all("split-row").size() == 1);
        assertThat(ui.find("split-dataset-0").getAttribute("value")).isEqualTo(testId);
        assertThat(ui.find("split-kind-0").getAttribute("value")).isEqualTo("ood");
        ui.choose("method-type", "lora");
        ui.type("field-hyperparameters-max_seq_length", "32");
        ui.type("field-hyperparameters-epochs", "1");
        browser.screenshot(SCREENSHOTS.resolve("new-text-job-form.png"));
        ui.click("submit-job");
        String jobId = ui.await("job-detail").getAttribute("data-job-id");

        HttpResponse<String> job = get("v1/fine-tuning/jobs/" + jobId);
        JsonNode spec = JSON.readTree(job.body());
        assertThat(spec.get("base_model").asString()).isEqualTo(bertId);
        assertThat(spec.get("hyperparameters").get("max_seq_length").asInt()).isEqualTo(32);
        ui.click("nav-jobs");
        assertThat(ui.row("job-row", "data-job-id", jobId).getText()).contains(bertName);
        post("v1/fine-tuning/jobs/" + jobId + "/cancel", "");
    }

    private String uploadText(String name, String split, String domain) {
        ui.attach("dataset-file", name + ".jsonl", DatasetFiles.jsonl(SENTIMENT, 6));
        ui.type("dataset-name", name);
        ui.type("dataset-split", split);
        ui.type("dataset-domain", domain);
        ui.click("dataset-upload-submit");
        ui.until("the upload of " + name + " to finish", () -> ui.find("dataset-upload-done").getText().contains(name));
        return ui.row("dataset-row", "data-name", name).getAttribute("data-dataset-id");
    }

    private List<String> optionValues(String selectTestId) {
        return ui.find(selectTestId).findElements(By.tagName("option")).stream()
                .map(o -> o.getAttribute("value")).filter(v -> !v.isEmpty()).toList();
    }
}
