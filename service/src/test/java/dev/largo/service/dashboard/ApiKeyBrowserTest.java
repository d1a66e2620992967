package dev.largo.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.test.context.TestPropertySource;

/**
 * The dashboard of a deployment ({@code largo.security.mode: api-keys}): without a key the page says that the
 * API wants one; with a tenant's key entered in the key panel it lists and uploads as that tenant, and what it
 * uploaded is that tenant's.
 */
@TestPropertySource(properties = {"largo.security.mode=api-keys", "largo.security.admin-key=" + ApiKeyBrowserTest.ADMIN})
class ApiKeyBrowserTest extends BrowserTestBase {

    static final String ADMIN = "browser-admin-key-0123456789";

    @Test
    void aTenantsKeyEnteredInThePanelOpensTheDashboard() throws Exception {
        String tenant = JSON.readTree(admin("v1/tenants", "{\"name\": \"browser\"}")).get("id").asString();
        String token = JSON.readTree(admin("v1/tenants/" + tenant + "/api-keys", "{}")).get("token").asString();

        driver().get(baseUrl());
        ui.until("the 401 to be shown", () -> {
            var alert = driver().findElement(By.id("global-alert"));
            return alert.isDisplayed() && alert.getText().contains("API key") ? alert : null;
        });

        ui.click("api-key-toggle");
        ui.type("api-key-input", token);
        ui.click("api-key-save");
        ui.until("the tenant's empty jobs list", () -> ui.find("jobs-body").getText().contains("No jobs yet"));

        String dataset = uploadDataset("tenant-shapes", "train", "clean", 5);
        assertThat(status("v1/datasets/" + dataset, token)).as("the upload is the tenant's").isEqualTo(200);
        assertThat(status("v1/datasets/" + dataset, null)).isEqualTo(401);
    }

    private org.openqa.selenium.WebDriver driver() {
        return browser.driver;
    }

    private String admin(String path, String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.body();
    }

    private int status(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
