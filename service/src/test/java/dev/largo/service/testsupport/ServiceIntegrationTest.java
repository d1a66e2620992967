package dev.largo.service.testsupport;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.UUID;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.largo.db.adapters.AdapterEntity;
import dev.largo.db.adapters.AdapterRepository;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.testsupport.PostgresTestDatabase;

/**
 * The service as a user runs it, on a real PostgreSQL, over real HTTP on a random port; every exchange is
 * checked against the contract. Each test starts from empty tables.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServiceIntegrationTest {

    /** The built-in base model the job tests refer to (inserted as the shipped one would be). */
    protected static final String BASE_MODEL = "vit-test-builtin";
    /** The administrator key every test service runs with (the local mode, so tests without a key still work). */
    protected static final String ADMIN_KEY = "test-admin-key-0123456789";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.registerProperties(registry);
        registry.add("largo.security.admin-key", () -> ADMIN_KEY);
        // storing the 90 MB all-MiniLM-L6-v2 at every context start would slow every test: the text tests call
        // BuiltinRegistration.registerTextModel(), converting once into a cache shared by the build's contexts
        registry.add("largo.builtins.text-model", () -> "false");
        registry.add("largo.builtins.cache-dir", () -> "target/builtins-cache");
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected DataSource dataSource;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    private ArtifactStore artifactStore;

    @Autowired
    private AdapterRepository adapterRepository;

    protected ContractClient api;

    @BeforeEach
    void emptyDatabase() {
        PostgresTestDatabase.truncateAllTables(dataSource);
        api = new ContractClient(port);
    }

    protected void insertBuiltInModel(String id) {
        jdbc.update("insert into base_models (id, tenant_id, name, architecture, built_in, config_json, parameter_count,"
                + " num_labels, image_size) values (?, 'shared', ?, 'vit', true, ?::jsonb, 12345, 10, 28)", id, "ViT test model",
                "{\"model_type\": \"vit\", \"image_size\": 28}");
    }

    /** Uploads an ImageFolder zip of the {@link #DIGITS} classes; returns the dataset id. */
    protected String uploadImageDataset(String name, String domain) {
        Exchange created = api.post("/v1/datasets?name=" + name + "&task_type=image_classification"
                + (domain == null ? "" : "&domain=" + domain),
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, name.hashCode()), "application/octet-stream", Map.of());
        org.assertj.core.api.Assertions.assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** A tenant and one of its API keys' token. */
    protected record TenantKey(String tenantId, String token) {
    }

    /** Creates a tenant through the administration API, with one API key. */
    protected TenantKey newTenant(String name) {
        ContractClient admin = api.withBearer(ADMIN_KEY);
        Exchange tenant = admin.postJson("/v1/tenants", "{\"name\": \"" + name + "\"}");
        org.assertj.core.api.Assertions.assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
        Exchange key = admin.postJson("/v1/tenants/" + tenant.json().get("id").asString() + "/api-keys",
                "{\"name\": \"" + name + "-key\"}");
        org.assertj.core.api.Assertions.assertThat(key.status()).as(key.toString()).isEqualTo(201);
        return new TenantKey(tenant.json().get("id").asString(), key.json().get("token").asString());
    }

    /**
     * A new tenant that owns one of everything ({@link TenantResources}), created through the API with its key
     * (the adapter, events, metrics and continual results are written as a worker would). The built-in model
     * {@link #BASE_MODEL} must exist.
     */
    protected TenantResources tenantWithResources(String name) {
        TenantKey key = newTenant(name);
        ContractClient owner = api.withBearer(key.token());
        String model = createdId(owner.post("/v1/models", new Multipart().field("name", name + "-model")
                .file("config", "config.json", "application/json",
                        ModelFiles.TINY_VIT_CONFIG.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .file("weights", "model.safetensors", "application/octet-stream",
                        ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG)), Map.of("Idempotency-Key", "model-1")));
        String train = createdId(owner.post("/v1/datasets?name=" + name + "-train&task_type=image_classification",
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, 1), "application/octet-stream",
                Map.of("Idempotency-Key", "dataset-1")));
        String eval = createdId(owner.post("/v1/datasets?name=" + name + "-eval&task_type=image_classification&domain=noisy",
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, 2), "application/octet-stream", Map.of()));
        String job = createdId(owner.postJson(TenantResources.JOBS, TenantResources.jobSpec(model, train, eval),
                Map.of("Idempotency-Key", "job-1")));
        jdbc.update("insert into job_events (job_id, level, type, message) values (?::uuid, 'info', 'log', ?)", job, name);
        jdbc.update("insert into job_metrics (job_id, step, name, value) values (?::uuid, 1, 'train/loss', 0.5)", job);
        String adapter = storeAdapter(UUID.fromString(job), model, key.tenantId()).toString();
        String continual = createdId(owner.postJson(TenantResources.JOBS, TenantResources.continualSpec(model, train, eval)));
        ContinualResults.record(jdbc, UUID.fromString(continual), new double[][] {{0.75}});
        return new TenantResources(key, model, train, eval, job, continual, adapter);
    }

    /** The id of what a 201 created. */
    protected static String createdId(Exchange exchange) {
        org.assertj.core.api.Assertions.assertThat(exchange.status()).as(exchange.toString()).isEqualTo(201);
        return exchange.json().get("id").asString();
    }

    /** What a worker stores for a succeeded job of {@code tenantId}: the PEFT zip as an artifact and the adapter row. */
    protected UUID storeAdapter(UUID job, String modelId, String tenantId) {
        ArtifactRef zip = artifactStore.put(ArtifactStore.KIND_ADAPTER, "adapter.zip", "application/zip",
                new ByteArrayInputStream(new byte[] {'P', 'K', 5, 6}));
        AdapterEntity adapter = new AdapterEntity(UUID.randomUUID());
        adapter.setTenantId(tenantId);
        adapter.setJobId(job);
        adapter.setBaseModelId(modelId);
        adapter.setPeftArtifactId(zip.id());
        adapter.setMethodType("largo");
        adapter.setRank(8);
        adapterRepository.save(adapter);
        return adapter.getId();
    }

    protected long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    protected Map<String, Long> rowCounts(String... tables) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (String table : tables) {
            counts.put(table, count(table));
        }
        return counts;
    }

    protected static final List<String> DIGITS = List.of("zero", "one", "two");
}
