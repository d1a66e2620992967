package dev.largo.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A job that really trains, watched through the dashboard: the in-process worker of the default mode runs a
 * LoRA job on a tiny ViT and tiny uploaded datasets, and the job page must follow it to {@code succeeded}
 * without a reload, then show its loss and learning-rate charts, the ID and OOD rows beside the base
 * reference, checkpoints and events, and download the PEFT adapter and the merged model. (LARGO's per-layer
 * gamma on a real run is the sample job's part, {@link FinishedJobBrowserTest}.)
 */
@TestPropertySource(properties = "largo.worker.enabled=true")
// closed after the class: a cached context's worker would go on claiming other tests' jobs
@DirtiesContext
class TrainedJobBrowserTest extends BrowserTestBase {

    @Test
    void followsATrainingJobToSuccessAndDownloadsItsAdapter() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String modelId = uploadTinyModel("tiny-vit-" + run);
        String trainId = uploadDataset("shapes-train-" + run, "train", "clean", 21);
        String idTestId = uploadDataset("shapes-test-" + run, "test", "clean", 22);
        String oodTestId = uploadDataset("shapes-shifted-" + run, "test", "shifted", 23);

        ui.click("nav-new");
        ui.await("job-form");
        ui.choose("base-model", modelId);
        ui.choose("training-dataset", trainId);
        ui.until("the ID and OOD splits suggested from the tags", () -> ui.all("split-row").size() == 2);
        assertThat(List.of(ui.find("split-dataset-0").getAttribute("value"), ui.find("split-kind-0").getAttribute("value"),
                ui.find("split-dataset-1").getAttribute("value"), ui.find("split-kind-1").getAttribute("value")))
                .containsExactly(idTestId, "id", oodTestId, "ood");
        // The tiny ViT's weights are all zero, which has no SVD to start the adapter from: Gaussian init.
        // plain LoRA (Gaussian init): the tiny ViT's weights are all zero, which has no SVD to start from
        ui.choose("method-type", "lora");
        ui.type("field-hyperparameters-epochs", "2");
        ui.type("field-hyperparameters-batch_size", "4");
        ui.click("submit-job");
        WebElement detail = ui.await("job-detail");
        String jobId = detail.getAttribute("data-job-id");

        // The page follows the job by polling until the worker reports success.
        ui.until("the job to succeed", Duration.ofMinutes(3), () -> {
            String status = ui.find("job-detail").getAttribute("data-status");
            if ("failed".equals(status) || "cancelled".equals(status)) {
                throw new AssertionError("the job ended " + status + ": " + ui.find("job-detail").getText());
            }
            return "succeeded".equals(status);
        });
        ui.until("the page's final update", () -> ui.find("live-indicator").getText().startsWith("Final"));

        assertThat(chartPoints("chart-loss")).isPositive();
        assertThat(chartPoints("chart-lr")).isPositive();


        List<WebElement> rows = ui.all("evaluation-row");
        assertThat(rows.stream().map(r -> r.getAttribute("data-kind"))).containsExactlyInAnyOrder("id", "ood");
        for (WebElement row : rows) {
            assertThat(row.getText()).containsPattern("\\d+\\.\\d%");
        }
        assertThat(ui.find("summary-ood-mean").getText()).containsPattern("\\d+\\.\\d%");
        assertThat(ui.find("summary-row-ood-worst").getAttribute("class")).contains("highlight");
        assertThat(ui.all("checkpoint-row")).isNotEmpty();
        assertThat(ui.all("event")).isNotEmpty();
        browser.screenshot(SCREENSHOTS.resolve("job-detail-trained.png"));

        ui.click("download-peft");
        Path zip = ui.until("the adapter download", Duration.ofSeconds(60), () -> downloaded(".zip"));
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            assertThat(archive.stream().map(ZipEntry::getName)).contains("adapter_config.json", "adapter_model.safetensors");
        }
        ui.click("download-merged");
        Path merged = ui.until("the merged model download", Duration.ofSeconds(60), () -> {
            Path file = downloaded(".zip");
            try (var files = Files.list(file.getParent())) {
                return files.filter(f -> f.getFileName().toString().startsWith("model-")
                        && f.getFileName().toString().endsWith(".zip")).findFirst().orElse(null);
            } catch (java.io.IOException e) {
                return null;
            }
        });
        try (ZipFile archive = new ZipFile(merged.toFile())) {
            assertThat(archive.stream().map(ZipEntry::getName))
                    .contains("config.json", "model.safetensors", "preprocessor_config.json");
        }
        assertThat(get("v1/fine-tuning/jobs/" + jobId).body()).contains("\"status\":\"succeeded\"");
    }
}
