package dev.largo.service.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.largo.db.embedded.EmbeddedDatabaseException;
import dev.largo.service.LargoServiceApplication;
import dev.largo.service.testsupport.ContractClient;
import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.Exchange;

/**
 * The default mode as a user runs it twice: two services in two directories at once, each with its embedded
 * PostgreSQL, each see only their own uploads; a third on the first one's directory refuses to start, naming
 * the directory and the running instance, and the first keeps working. (Another process on the same directory
 * is {@code EmbeddedPostgresServerTest}'s.)
 */
class DefaultModeInstancesTest {

    @Test
    void twoDirectoriesAreTwoDatabasesAndOneDirectoryIsOneInstance(@TempDir Path dir) {
        try (ConfigurableApplicationContext one = start(dir.resolve("one"));
                ConfigurableApplicationContext two = start(dir.resolve("two"))) {
            ContractClient first = new ContractClient(port(one));
            ContractClient second = new ContractClient(port(two));
            upload(first, "in-one");
            upload(second, "in-two");
            assertThat(names(first)).containsExactly("in-one");
            assertThat(names(second)).containsExactly("in-two");

            Path busy = dir.resolve("one/data/postgres").toAbsolutePath().normalize();
            assertThatThrownBy(() -> start(dir.resolve("one")))
                    .hasRootCauseInstanceOf(EmbeddedDatabaseException.class)
                    .rootCause().hasMessageContaining("the data directory " + busy + " is in use by another LARGO instance")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            upload(first, "after-the-refusal");
            assertThat(names(first)).as("the first keeps working").containsExactlyInAnyOrder("in-one", "after-the-refusal");
            assertThat(names(second)).containsExactly("in-two");
        }
    }

    private static ConfigurableApplicationContext start(Path directory) {
        return new SpringApplicationBuilder(LargoServiceApplication.class).run(
                "--server.port=0",
                "--largo.database.embedded.data-dir=" + directory.resolve("data/postgres"),
                // what these instances are about is their database: no built-ins to register, no worker
                "--largo.builtins.enabled=false",
                "--largo.worker.enabled=false",
                "--spring.main.banner-mode=off");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static void upload(ContractClient client, String name) {
        Exchange created = client.post("/v1/datasets?name=" + name + "&task_type=image_classification",
                DatasetFiles.imageFolderZip(List.of("a", "b"), 2, 8, name.hashCode()), "application/octet-stream", Map.of());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private static List<String> names(ContractClient client) {
        Exchange listed = client.get("/v1/datasets?limit=100");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        listed.json().get("data").forEach(dataset -> names.add(dataset.get("name").asString()));
        return names;
    }
}
