package dev.largo.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.db.adapters.AdapterEntity;
import dev.largo.db.adapters.AdapterRepository;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.service.testsupport.ContractClient;
import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.Exchange;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The job page's robustness frontier: the ID-vs-OOD curve drawn as inline SVG under the Content-Security-Policy,
 * with the base reference and the recommended point chosen; clicking a point chooses its alpha for the downloads;
 * the form queues a new evaluation. The curve's rows are written as the worker writes them (no worker runs here; the
 * worker's side is FrontierEndToEndTest). Saves {@code service/target/screenshots/frontier.png}.
 */
class FrontierBrowserTest extends BrowserTestBase {

    private static final String MODEL = "vit-test-builtin";
    // alpha, ID, OOD mean, OOD worst: the best ID is 0.92 (alpha 1); within 1 point: alphas 0.75 and 1;
    // the best OOD mean of those is at 0.75
    private static final double[][] CURVE = {{0, 0.60, 0.50, 0.20}, {0.25, 0.80, 0.58, 0.25}, {0.5, 0.88, 0.60, 0.24},
        {0.75, 0.915, 0.57, 0.22}, {1, 0.92, 0.52, 0.18}};

    @Autowired JdbcTemplate jdbc;
    @Autowired ArtifactStore artifacts;
    @Autowired AdapterRepository adapters;

    @Test
    void theCurveIsDrawnWithTheBaseAndTheChosenPointAndANewEvaluationCanBeAsked() throws Exception {
        String job = succeededJob();
        StringBuilder points = new StringBuilder("[");
        for (double[] p : CURVE) {
            points.append(points.length() > 1 ? "," : "").append(String.format(java.util.Locale.ROOT,
                    "{\"alpha\": %s, \"id_accuracy\": %s, \"ood_mean_accuracy\": %s, \"ood_worst_accuracy\": %s,"
                            + " \"splits\": {}}", p[0], p[1], p[2], p[3]));
        }
        jdbc.update("insert into frontier_evaluations (id, job_id, status, alphas, tolerance, points, attempts,"
                + " finished_at) values (?, ?::uuid, 'succeeded', '[0, 0.25, 0.5, 0.75, 1]', 0.01, ?::jsonb, 1, now())",
                UUID.randomUUID(), job, points.append("]").toString());
        jdbc.update("insert into evaluations (job_id, split_name, kind, domain, model, accuracy, count) values"
                + " (?::uuid, 'a', 'id', 'clean', 'base_reference', 0.7, 10), (?::uuid, 'b', 'ood', 'night',"
                + " 'base_reference', 0.55, 10)", job, job);

        ui.open("#/jobs/" + job, "job-detail");
        WebElement chart = ui.await("frontier-chart");
        assertThat(chart.getTagName()).isEqualTo("svg");
        ui.until("five points", () -> ui.all("frontier-point").size() == 5);
        assertThat(ui.all("frontier-base")).hasSize(1);
        assertThat(ui.all("frontier-row")).hasSize(5);
        assertThat(ui.find("frontier-status").getText()).contains("recommended α = 0.75");
        assertThat(chosenPointAlpha()).isEqualTo("0.75");
        assertThat(ui.find("frontier-chosen-alpha").getText()).isEqualTo("0.75");

        // choose another point: the ring and the download's alpha follow
        ui.script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))",
                browser.driver.findElement(By.cssSelector("[data-testid='frontier-point'][data-alpha='0.25']")));
        ui.until("alpha 0.25 chosen", () -> "0.25".equals(ui.find("frontier-chosen-alpha").getText()));
        assertThat(chosenPointAlpha()).isEqualTo("0.25");
        ui.script("arguments[0].scrollIntoView()", ui.find("frontier-section"));
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("frontier.png"),
                ((TakesScreenshot) browser.driver).getScreenshotAs(OutputType.BYTES));
        assertThat(ui.find("frontier-downloads").isDisplayed()).isTrue();

        // a new evaluation with another grid is queued (no worker here, so it stays queued)
        ui.find("frontier-points").clear();
        ui.type("frontier-points", "6");
        ui.click("frontier-evaluate");
        ui.until("the new request", () -> ui.find("frontier-status").getText().startsWith("queued: 0 of 6"));
        assertThat(jdbc.queryForObject("select status || ' ' || jsonb_array_length(alphas) from frontier_evaluations",
                String.class)).isEqualTo("queued 6");
        assertThat(ui.all("frontier-point")).isEmpty();
    }

    private String chosenPointAlpha() {
        return browser.driver.findElement(By.cssSelector("[data-testid='frontier-chosen']"))
                .findElement(By.xpath("..")).getAttribute("data-alpha");
    }

    /** A job created through the API, recorded as succeeded with an adapter the way the worker records it. */
    private String succeededJob() {
        jdbc.update("insert into base_models (id, tenant_id, name, architecture, built_in, config_json, parameter_count,"
                + " num_labels, image_size) values (?, 'shared', 'ViT test model', 'vit', true, ?::jsonb, 12345, 3, 8)",
                MODEL, "{\"model_type\": \"vit\", \"image_size\": 8}");
        ContractClient api = new ContractClient(port);
        String train = created(api.post("/v1/datasets?name=train&task_type=image_classification&domain=clean",
                DatasetFiles.imageFolderZip(CLASSES, 2, 8, 1), "application/octet-stream", Map.of()));
        String ood = created(api.post("/v1/datasets?name=night&task_type=image_classification&domain=night",
                DatasetFiles.imageFolderZip(CLASSES, 2, 8, 2), "application/octet-stream", Map.of()));
        String job = created(api.postJson("/v1/fine-tuning/jobs", "{\"base_model\": \"" + MODEL + "\","
                + " \"training_dataset\": \"" + train + "\", \"evaluation_splits\": [{\"dataset\": \"" + train
                + "\", \"kind\": \"id\"}, {\"dataset\": \"" + ood + "\", \"kind\": \"ood\"}], \"method\": {\"type\": \"lora\"}}"));
        ArtifactRef zip = artifacts.put(ArtifactStore.KIND_ADAPTER, "adapter.zip", "application/zip",
                new ByteArrayInputStream(new byte[] {'P', 'K', 5, 6}));
        AdapterEntity adapter = new AdapterEntity(UUID.randomUUID());
        adapter.setJobId(UUID.fromString(job));
        adapter.setBaseModelId(MODEL);
        adapter.setPeftArtifactId(zip.id());
        adapter.setMethodType("lora");
        adapter.setRank(8);
        adapters.save(adapter);
        jdbc.update("update jobs set status = 'succeeded', progress = 1, finished_at = now(),"
                + " fine_tuned_adapter_id = ? where id = ?::uuid", adapter.getId(), job);
        return job;
    }

    private static String created(Exchange exchange) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(201);
        return exchange.json().get("id").asString();
    }
}
