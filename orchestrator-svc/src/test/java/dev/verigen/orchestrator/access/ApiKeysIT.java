package dev.verigen.orchestrator.access;

import static dev.verigen.orchestrator.access.AccessHttp.assertProblem;
import static dev.verigen.orchestrator.access.AccessHttp.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.orchestrator.testing.OrchestratorIT;
import dev.verigen.support.access.ApiKeyTokens;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The tenants and keys admin API, and the bootstrap key, over real HTTP and PostgreSQL. */
@OrchestratorIT(kafkaPartitions = 1)
class ApiKeysIT {

    private static final ApiKeyTokens.NewKey BOOTSTRAP = ApiKeyTokens.generate(new SecureRandom());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("verigen.orchestrator.access.bootstrap-key", BOOTSTRAP::token);
        registry.add("verigen.orchestrator.access.key-defaults.requests-per-minute", () -> "120");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private AccessHttp admin;

    @BeforeEach
    void caller() {
        admin = AccessHttp.anonymous(port);
    }

    @Test
    void tenantsAreCreatedOnceListedAndFound() throws Exception {
        HttpResponse<String> created = admin.send("POST", "/v1/tenants", "{\"id\": \"acme\", \"name\": \"Acme Corp\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/v1/tenants/acme");
        JsonNode acme = AccessHttp.JSON.readTree(created.body());
        assertThat(acme.get("name").stringValue()).isEqualTo("Acme Corp");
        assertThat(acme.get("createdAt").stringValue()).isNotBlank();

        assertThat(admin.get("/v1/tenants/acme")).isEqualTo(acme);
        assertThat(admin.get("/v1/tenants").findValuesAsString("id")).contains("default", "acme");
        assertProblem(admin.send("GET", "/v1/tenants/nobody", null), 404, "not-found");

        JsonNode again = assertProblem(admin.send("POST", "/v1/tenants", "{\"id\": \"acme\", \"name\": \"Other\"}"),
                409, "conflict");
        assertThat(again.get("detail").stringValue()).contains("acme");
        assertThat(admin.get("/v1/tenants/acme").get("name").stringValue()).isEqualTo("Acme Corp");
    }

    @Test
    void invalidTenantsAreRefusedFieldByField() throws Exception {
        JsonNode problem = assertProblem(admin.send("POST", "/v1/tenants",
                "{\"id\": \"Bad Id!\", \"name\": \" \", \"plan\": \"gold\"}"), 400, "invalid-request");
        assertThat(fields(problem)).containsExactlyInAnyOrder("id", "name", "plan");
        assertThat(fields(assertProblem(admin.send("POST", "/v1/tenants", "{}"), 400, "invalid-request")))
                .containsExactlyInAnyOrder("id", "name");
        assertThat(fields(assertProblem(admin.send("POST", "/v1/tenants",
                "{\"id\": \"%s\", \"name\": \"%s\"}".formatted("a".repeat(65), "n".repeat(201))), 400,
                "invalid-request"))).containsExactlyInAnyOrder("id", "name");
        assertThat(fields(assertProblem(admin.send("POST", "/v1/tenants", "{\"id\": 7, \"name\": [\"x\"]}"), 400,
                "invalid-request"))).containsExactlyInAnyOrder("id", "name");
        assertThat(fields(assertProblem(admin.send("POST", "/v1/tenants", "[]"), 400, "invalid-request")))
                .containsExactly("$");
        assertProblem(admin.send("POST", "/v1/tenants", "{\"id\":"), 400, "malformed-json");
        assertThat(admin.get("/v1/tenants").findValuesAsString("id")).doesNotContain("Bad Id!");
    }

    @Test
    void keysAreCreatedWithDefaultsListedAndRevokedOnce() throws Exception {
        admin.ok("POST", "/v1/tenants", "{\"id\": \"keys-a\", \"name\": \"A\"}", 201);
        HttpResponse<String> response = admin.send("POST", "/v1/tenants/keys-a/keys",
                "{\"name\": \"ci\", \"scopes\": [\"experiments\", \"runs\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode ci = AccessHttp.JSON.readTree(response.body());
        String id = ci.get("id").stringValue();
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/tenants/keys-a/keys/" + id);
        assertThat(ApiKeyTokens.parse(ci.get("key").stringValue())).hasValueSatisfying(
                p -> assertThat(p.id()).isEqualTo(id));
        assertThat(ci.get("tenant").stringValue()).isEqualTo("keys-a");
        assertThat(ci.get("scopes").valueStream().map(JsonNode::stringValue)).containsExactly("runs", "experiments");
        assertThat(ci.get("requestsPerMinute").asInt()).as("the configured default").isEqualTo(120);
        assertThat(ci.get("burst").asInt()).isEqualTo(100);
        assertThat(ci.get("maxBodyBytes").isNull()).isTrue();

        JsonNode full = admin.ok("POST", "/v1/tenants/keys-a/keys", """
                {"name": "admin", "scopes": ["admin"], "requestsPerMinute": 1000000, "burst": 5,
                 "maxBodyBytes": 1048576}""", 201);
        assertThat(full.get("requestsPerMinute").asInt()).isEqualTo(1_000_000);
        assertThat(full.get("burst").asInt()).isEqualTo(5);
        assertThat(full.get("maxBodyBytes").asLong()).isEqualTo(1_048_576);

        JsonNode listed = admin.get("/v1/tenants/keys-a/keys");
        assertThat(listed.findValuesAsString("id")).containsExactlyInAnyOrder(id, full.get("id").stringValue());
        JsonNode one = admin.get("/v1/tenants/keys-a/keys/" + id);
        assertThat(one.propertyNames()).containsExactlyInAnyOrder("id", "tenant", "name", "scopes",
                "requestsPerMinute", "burst", "maxBodyBytes", "createdAt", "revokedAt");
        assertThat(one.get("revokedAt").isNull()).isTrue();
        assertThat(one.get("createdAt")).isEqualTo(ci.get("createdAt"));

        JsonNode revoked = admin.ok("DELETE", "/v1/tenants/keys-a/keys/" + id, null, 200);
        assertThat(revoked.get("id").stringValue()).isEqualTo(id);
        String revokedAt = revoked.get("revokedAt").stringValue();
        assertThat(admin.ok("DELETE", "/v1/tenants/keys-a/keys/" + id, null, 200).get("revokedAt").stringValue())
                .as("revoking again keeps the first time").isEqualTo(revokedAt);
        assertThat(admin.get("/v1/tenants/keys-a/keys/" + id).get("revokedAt").stringValue()).isEqualTo(revokedAt);
        assertThat(jdbc.sql("select revoked_at is not null from api_keys where id = :id").param("id", id)
                .query(Boolean.class).single()).as("what the gateway reads").isTrue();
        assertThat(admin.get("/v1/tenants/keys-a/keys/" + full.get("id").stringValue()).get("revokedAt").isNull())
                .isTrue();
    }

    @Test
    void theTokenIsShownOnceAndOnlyItsHashIsStored() throws Exception {
        admin.ok("POST", "/v1/tenants", "{\"id\": \"keys-b\", \"name\": \"B\"}", 201);
        JsonNode created = admin.ok("POST", "/v1/tenants/keys-b/keys", "{\"name\": \"x\", \"scopes\": [\"runs\"]}", 201);
        String token = created.get("key").stringValue();
        String id = created.get("id").stringValue();
        String secret = ApiKeyTokens.parse(token).orElseThrow().secret();

        List<String> later = List.of(admin.send("GET", "/v1/tenants/keys-b/keys", null).body(),
                admin.send("GET", "/v1/tenants/keys-b/keys/" + id, null).body(),
                admin.send("DELETE", "/v1/tenants/keys-b/keys/" + id, null).body());
        for (String body : later) {
            assertThat(body).doesNotContain(secret).doesNotContain("\"key\"").doesNotContainIgnoringCase("hash");
        }
        String stored = jdbc.sql("select row_to_json(k)::text from api_keys k where id = :id").param("id", id)
                .query(String.class).single();
        assertThat(stored).doesNotContain(secret);
        byte[] hash = jdbc.sql("select secret_hash from api_keys where id = :id").param("id", id)
                .query(byte[].class).single();
        assertThat(hash).isEqualTo(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void invalidKeysAreRefusedFieldByField() throws Exception {
        admin.ok("POST", "/v1/tenants", "{\"id\": \"keys-c\", \"name\": \"C\"}", 201);
        JsonNode problem = assertProblem(admin.send("POST", "/v1/tenants/keys-c/keys", """
                {"name": "", "scopes": ["runs", "root", "runs"], "requestsPerMinute": 1000001,
                 "burst": -1, "maxBodyBytes": 0, "owner": "me"}"""), 400, "invalid-request");
        assertThat(fields(problem)).containsExactlyInAnyOrder("name", "scopes[1]", "scopes[2]", "requestsPerMinute",
                "burst", "maxBodyBytes", "owner");
        assertThat(fields(assertProblem(admin.send("POST", "/v1/tenants/keys-c/keys", """
                {"name": "x", "scopes": [], "requestsPerMinute": 100000000000000000000000, "burst": 1.5,
                 "maxBodyBytes": 1073741825}"""), 400, "invalid-request")))
                .containsExactlyInAnyOrder("scopes", "requestsPerMinute", "burst", "maxBodyBytes");
        assertThat(fields(assertProblem(admin.send("POST", "/v1/tenants/keys-c/keys",
                "{\"scopes\": \"runs\", \"requestsPerMinute\": \"600\"}"), 400, "invalid-request")))
                .containsExactlyInAnyOrder("name", "scopes", "requestsPerMinute");
        assertThat(fields(assertProblem(admin.send("POST", "/v1/tenants/keys-c/keys", "{\"name\": \"x\"}"), 400,
                "invalid-request"))).containsExactly("scopes");
        assertThat(fields(assertProblem(admin.send("POST", "/v1/tenants/keys-c/keys",
                "{\"name\": \"x\", \"scopes\": [\"runs\", \"experiments\", \"admin\", \"operator\", \"runs\"]}"), 400,
                "invalid-request"))).containsExactly("scopes");
        assertThat(admin.get("/v1/tenants/keys-c/keys")).isEmpty();

        assertProblem(admin.send("POST", "/v1/tenants/nobody/keys", "{\"name\": \"x\", \"scopes\": [\"runs\"]}"),
                404, "not-found");
        assertProblem(admin.send("GET", "/v1/tenants/nobody/keys", null), 404, "not-found");
        assertProblem(admin.send("GET", "/v1/tenants/keys-c/keys/aaaaaaaaaaaa", null), 404, "not-found");
        assertProblem(admin.send("DELETE", "/v1/tenants/keys-c/keys/aaaaaaaaaaaa", null), 404, "not-found");
    }

    @Test
    void aKeyOfAnotherTenantIsNotFoundAndStaysValid() throws Exception {
        admin.ok("POST", "/v1/tenants", "{\"id\": \"keys-d\", \"name\": \"D\"}", 201);
        admin.ok("POST", "/v1/tenants", "{\"id\": \"keys-e\", \"name\": \"E\"}", 201);
        String id = admin.ok("POST", "/v1/tenants/keys-d/keys", "{\"name\": \"d\", \"scopes\": [\"runs\"]}", 201)
                .get("id").stringValue();
        assertProblem(admin.send("GET", "/v1/tenants/keys-e/keys/" + id, null), 404, "not-found");
        assertProblem(admin.send("DELETE", "/v1/tenants/keys-e/keys/" + id, null), 404, "not-found");
        assertThat(admin.get("/v1/tenants/keys-e/keys")).isEmpty();
        assertThat(admin.get("/v1/tenants/keys-d/keys/" + id).get("revokedAt").isNull()).isTrue();
    }

    @Test
    void theBootstrapKeyIsAnAdminKeyOfTheDefaultTenantAfterStartUp() throws Exception {
        JsonNode key = admin.get("/v1/tenants/default/keys/" + BOOTSTRAP.id());
        assertThat(key.get("name").stringValue()).isEqualTo("bootstrap admin");
        assertThat(key.get("scopes").valueStream().map(JsonNode::stringValue))
                .containsExactly("runs", "experiments", "admin", "operator");
        assertThat(key.get("requestsPerMinute").asInt()).isEqualTo(6000);
        assertThat(key.get("burst").asInt()).isEqualTo(1000);
        assertThat(key.get("revokedAt").isNull()).isTrue();
        assertThat(jdbc.sql("select secret_hash from api_keys where id = :id").param("id", BOOTSTRAP.id())
                .query(byte[].class).single()).isEqualTo(BOOTSTRAP.secretHash());
        assertThat(admin.send("GET", "/v1/tenants/default/keys", null).body()).doesNotContain(BOOTSTRAP.token());
    }
}
