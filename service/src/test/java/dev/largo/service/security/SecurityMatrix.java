package dev.largo.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;

import dev.largo.service.testsupport.ContractClient;
import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.ModelFiles;
import dev.largo.service.testsupport.Multipart;
import dev.largo.service.testsupport.ServiceIntegrationTest;
import dev.largo.service.testsupport.TenantResources;

/**
 * Every operation of openapi.yaml, called by every kind of caller, under every spelling of its path
 * ({@link PathSpellings}): no caller ever gets a success (2xx) it has no right to, no success shows tenant A's
 * resources to anyone else, every refusal is problem+json, nothing answers 5xx, and the spellings the
 * firewall refuses are refused (400) whoever calls. The resources named in the paths and bodies are tenant A's.
 *
 * <p>Rights: administration operations belong to the administrator key; an operation naming one of A's
 * resources (in its path or its body) to A; any other operation to any caller acting for a tenant (A, B, and
 * in the local mode a request without a key). A revoked key, a malformed Authorization header (A's own key
 * sent as Basic) and, outside administration, the administrator key have no rights anywhere.
 *
 * <p>Within an operation the callers without a right go first, so a rightful caller's delete or revoke cannot
 * make their refusals trivial; GETs run before POSTs and DELETEs for the same reason.
 */
abstract class SecurityMatrix extends ServiceIntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(SecurityMatrix.class);
    private static final String ADMINISTRATION = "/v1/tenants";

    /** A kind of caller and the Authorization header it sends (null: none). */
    record Caller(String name, String authorization) {
    }

    /** One operation of the contract. */
    record Operation(String id, String method, String template, boolean hasBody) {

        boolean administration() {
            return template.equals(ADMINISTRATION) || template.startsWith(ADMINISTRATION + "/");
        }
    }

    /** A request body, the query it needs, and whether it names A's resources. */
    record Body(String query, String contentType, byte[] bytes, boolean namesOwnersResources) {
    }

    /** What one tried request broke. */
    record Violation(String operation, String caller, String spelling, String path, int status, String what) {
    }

    protected RawHttp http;
    protected TenantResources alpha;
    protected TenantKey beta;
    private String revokedToken;
    private String disposableDataset;
    private String spareKeyId;
    private Caller noKey;
    private Caller tenantA;
    private Caller tenantB;
    private Caller revoked;
    private Caller malformed;
    private Caller admin;

    /** Whether a request without a key acts for a tenant here (the local mode). */
    protected abstract boolean noKeyActsForATenant();

    @BeforeEach
    void resources() {
        http = new RawHttp(port);
        insertBuiltInModel(BASE_MODEL);
        alpha = tenantWithResources("alpha");
        beta = newTenant("beta");
        ContractClient administrator = api.withBearer(ADMIN_KEY);
        String keys = "/v1/tenants/" + alpha.key().tenantId() + "/api-keys";
        var revokedKey = administrator.postJson(keys, "{\"name\": \"old\"}").json();
        revokedToken = revokedKey.get("token").asString();
        assertThat(administrator.delete(keys + "/" + revokedKey.get("id").asString()).status()).isEqualTo(200);
        spareKeyId = administrator.postJson(keys, "{\"name\": \"spare\"}").json().get("id").asString();
        disposableDataset = createdId(api.withBearer(alpha.key().token()).post(
                "/v1/datasets?name=disposable&task_type=image_classification",
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, 9), "application/octet-stream", Map.of()));
        // A's job has a frontier evaluation to read (its job is queued, so the API would refuse to request one)
        jdbc.update("insert into frontier_evaluations (id, job_id, tenant_id, status, alphas, tolerance)"
                + " values (gen_random_uuid(), ?::uuid, ?, 'queued', '[0, 1]'::jsonb, 0.01)", alpha.job(),
                alpha.key().tenantId());
        noKey = new Caller("no key", null);
        tenantA = new Caller("tenant A", "Bearer " + alpha.key().token());
        tenantB = new Caller("tenant B", "Bearer " + beta.token());
        revoked = new Caller("revoked key of A", "Bearer " + revokedToken);
        malformed = new Caller("A's key as Basic", "Basic "
                + Base64.getEncoder().encodeToString(("x:" + alpha.key().token()).getBytes(StandardCharsets.UTF_8)));
        admin = new Caller("administrator", "Bearer " + ADMIN_KEY);
    }

    @Test
    void noCallerGetsASuccessItHasNoRightToUnderAnySpellingOfAnyOperation() {
        List<Operation> operations = operations();
        Map<String, Body> bodies = bodies();
        List<Caller> callers = List.of(noKey, tenantA, tenantB, revoked, malformed, admin);
        List<Violation> violations = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        int tried = 0;
        int rightfulSuccesses = 0;
        int spellingsTried = 0;
        for (Operation operation : operations) {
            assertThat(!operation.hasBody() || bodies.containsKey(operation.id()))
                    .as("a request body for " + operation.id() + " (a new operation needs one here)").isTrue();
            Body body = bodies.get(operation.id());
            Set<Caller> rightful = rightful(operation, body);
            Map<String, String> spellings = PathSpellings.of(concrete(operation));
            spellingsTried += spellings.size();
            List<Caller> ordered = callers.stream().sorted(Comparator.comparing(rightful::contains)).toList();
            for (Caller caller : ordered) {
                for (var spelling : spellings.entrySet()) {
                    String path = spelling.getValue() + (body == null ? "" : body.query());
                    RawHttp.Response response = http.send(operation.method(), path, caller.authorization(),
                            body == null ? null : body.contentType(), body == null ? null : body.bytes());
                    tried++;
                    statuses.merge(response.status() / 100 + "xx", 1, Integer::sum);
                    String problem = check(operation, caller, rightful.contains(caller), spelling.getKey(), response);
                    if (problem != null) {
                        violations.add(new Violation(operation.id(), caller.name(), spelling.getKey(), path,
                                response.status(), problem));
                    } else if (response.success()) {
                        rightfulSuccesses++;
                    }
                    if (spelling.getKey().equals("plain") && rightful.contains(caller)) {
                        assertThat(response.success() || response.status() == 429 || response.status() == 409)
                                .as("the fixture is real: %s as %s succeeds -> %s %s", operation.id(), caller.name(),
                                        response.status(), response.body()).isTrue();
                    }
                }
            }
        }
        log.info("security matrix: {} operations x {} callers, {} spellings in all: {} requests, {} rightful"
                + " successes, {} violations; statuses {}", operations.size(), callers.size(), spellingsTried, tried,
                rightfulSuccesses, violations.size(), statuses);
        assertThat(violations).as("successes without right, refusals that are no problem+json, 5xx").isEmpty();
        assertThat(rightfulSuccesses).as("the rightful callers did succeed").isGreaterThan(operations.size());
    }

    @Test
    void randomPathMutationsNeverReachAdministrationWithoutTheAdministratorKey() {
        long seed = Long.getLong("largo.security.fuzz.seed", System.nanoTime());
        int rounds = Integer.getInteger("largo.security.fuzz.rounds", 300);
        Random random = new Random(seed);
        List<Operation> administration = operations().stream().filter(Operation::administration).toList();
        Map<String, Body> bodies = bodies();
        List<Caller> callers = List.of(noKey, tenantA, tenantB, revoked, malformed);
        long tenants = count("tenants");
        long keys = count("api_keys");
        String revokedAt = jdbc.queryForObject("select string_agg(coalesce(revoked_at::text, '-'), ',' order by id)"
                + " from api_keys", String.class);
        List<Violation> violations = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Operation operation = administration.get(random.nextInt(administration.size()));
            Body body = bodies.get(operation.id());
            Caller caller = callers.get(random.nextInt(callers.size()));
            String path = PathSpellings.mutate(concrete(operation), random);
            RawHttp.Response response = http.send(operation.method(), path, caller.authorization(),
                    body == null ? null : body.contentType(), body == null ? null : body.bytes());
            String problem = check(operation, caller, false, "mutation", response);
            if (problem != null) {
                violations.add(new Violation(operation.id(), caller.name(), "mutation", path, response.status(), problem));
            }
        }
        log.info("administration fuzz: {} mutated requests (seed {}), {} violations", rounds, seed, violations.size());
        assertThat(violations).as("seed " + seed + " (rerun with -Dlargo.security.fuzz.seed=" + seed + ")").isEmpty();
        assertThat(count("tenants")).as("no tenant was created").isEqualTo(tenants);
        assertThat(count("api_keys")).as("no key was created").isEqualTo(keys);
        assertThat(jdbc.queryForObject("select string_agg(coalesce(revoked_at::text, '-'), ',' order by id)"
                + " from api_keys", String.class)).as("no key was revoked").isEqualTo(revokedAt);
    }

    /** What is wrong with the response, or null. */
    private String check(Operation operation, Caller caller, boolean rightful, String spelling,
            RawHttp.Response response) {
        if (response.status() >= 500) {
            return "server error " + response.body();
        }
        if (response.success() && !rightful) {
            return "success without right: " + response.body();
        }
        if (response.success() && !operation.administration() && caller != tenantA
                && ownersIds().stream().anyMatch(response.body()::contains)) {
            return "shows tenant A's resources: " + response.body();
        }
        if (response.status() >= 400 && !response.isProblem()) {
            return "refusal is not problem+json but " + response.contentType() + ": " + response.body();
        }
        if (!spelling.equals("mutation") && PathSpellings.REFUSED_MARKERS.stream().anyMatch(spelling::contains)
                && response.status() != 400) {
            return "the firewall should refuse this spelling with 400";
        }
        return null;
    }

    private Set<Caller> rightful(Operation operation, Body body) {
        if (operation.administration()) {
            return Set.of(admin);
        }
        if (operation.template().contains("{") || body != null && body.namesOwnersResources()) {
            return Set.of(tenantA);
        }
        return noKeyActsForATenant() ? Set.of(tenantA, tenantB, noKey) : Set.of(tenantA, tenantB);
    }

    private List<String> ownersIds() {
        return List.of(alpha.model(), alpha.train(), alpha.eval(), alpha.job(), alpha.continual(), alpha.adapter(),
                disposableDataset, alpha.key().tenantId(), spareKeyId);
    }

    /** The operation's path with A's resources for its parameters. */
    private String concrete(Operation operation) {
        String path = operation.template();
        var parameters = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path);
        StringBuilder concrete = new StringBuilder();
        while (parameters.find()) {
            String value = switch (parameters.group(1)) {
                case "dataset_id" -> operation.method().equals("DELETE") ? disposableDataset : alpha.train();
                case "model_id" -> alpha.model();
                case "job_id" -> operation.id().startsWith("continue") ? alpha.continual() : alpha.job();
                case "adapter_id" -> alpha.adapter();
                case "tenant_id" -> alpha.key().tenantId();
                case "key_id" -> spareKeyId;
                default -> throw new AssertionError("no value for path parameter " + parameters.group(1) + " of "
                        + operation.id() + ": add one here");
            };
            parameters.appendReplacement(concrete, value);
        }
        parameters.appendTail(concrete);
        return concrete.toString();
    }

    private Map<String, Body> bodies() {
        Map<String, Body> bodies = new LinkedHashMap<>();
        bodies.put("createDataset", new Body("?name=m&task_type=image_classification", "application/octet-stream",
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, 3), false));
        Multipart model = new Multipart().field("name", "m")
                .file("config", "config.json", "application/json", ModelFiles.TINY_VIT_CONFIG.getBytes(StandardCharsets.UTF_8))
                .file("weights", "model.safetensors", "application/octet-stream", ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG));
        bodies.put("createModel", new Body("", model.contentType(), model.bytes(), false));
        bodies.put("createFineTuningJob", json(TenantResources.jobSpec(alpha.model(), alpha.train(), alpha.eval()), true));
        bodies.put("continueFineTuningJob", json(TenantResources.continuation(alpha.train(), alpha.eval()), true));
        bodies.put("createTenant", json("{\"name\": \"m\"}", false));
        bodies.put("createApiKey", json("{\"name\": \"m\"}", false));
        // a GET whose query is required: without it every caller would get the same 400
        bodies.put("downloadAtAlpha", new Body("?alpha=0.5", null, null, false));
        bodies.put("requestFrontier", json("{\"points\": 3}", false));
        return bodies;
    }

    private static Body json(String json, boolean namesOwnersResources) {
        return new Body("", "application/json", json.getBytes(StandardCharsets.UTF_8), namesOwnersResources);
    }

    /** The contract's operations: GETs first, then POSTs, then DELETEs (what a rightful caller changes last). */
    static List<Operation> operations() {
        OpenAPI contract = new OpenAPIV3Parser().readContents(ContractClient.contract()).getOpenAPI();
        List<String> order = List.of("GET", "POST", "DELETE");
        List<Operation> operations = new ArrayList<>();
        contract.getPaths().forEach((template, item) -> item.readOperationsMap().forEach((method, operation) ->
                operations.add(new Operation(operation.getOperationId(), method.name(), template,
                        operation.getRequestBody() != null))));
        operations.sort(Comparator.comparing((Operation o) -> order.indexOf(o.method())).thenComparing(Operation::id));
        return operations;
    }
}
