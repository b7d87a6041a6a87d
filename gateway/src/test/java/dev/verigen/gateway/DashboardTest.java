package dev.verigen.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.support.access.Scope;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard under /ui over real HTTP: sessions, CSRF, escaping, tenant isolation and a 1,000-candidate run, with
 * keys in real PostgreSQL and a fake API behind the gateway (the dashboard calls the API through the gateway itself).
 */
@GatewayTest
class DashboardTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FakeApi API = new FakeApi();
    private static final KeyDatabase DB = KeyDatabase.migrated("gwdash");
    private static final KeyDatabase.Key ACME = DB.createKey("acme", Scope.RUNS, Scope.EXPERIMENTS);
    private static final KeyDatabase.Key OTHER = DB.createKey("other", Scope.RUNS);
    // a tenant that may read experiments, so the API's answer for acme's experiment is "not found", not "forbidden"
    private static final KeyDatabase.Key RIVAL = DB.createKey("rival", Scope.RUNS, Scope.EXPERIMENTS);
    private static final String RUN = "7b0c5a52-9a55-4c5e-8d6e-2f1a3c9d0001";
    private static final String BIG_RUN = "7b0c5a52-9a55-4c5e-8d6e-2f1a3c9d0002";
    private static final String EXPERIMENT = "7b0c5a52-9a55-4c5e-8d6e-2f1a3c9d0003";
    private static final String ARCHON_RUN = "7b0c5a52-9a55-4c5e-8d6e-2f1a3c9d0004";

    static {
        API.answer("acme", "GET", "/v1/whoami",
                "{\"tenant\":\"acme\",\"keyId\":\"" + ACME.id() + "\",\"scopes\":[\"runs\",\"experiments\"],\"operator\":false}");
        API.answer("other", "GET", "/v1/whoami",
                "{\"tenant\":\"other\",\"keyId\":\"" + OTHER.id() + "\",\"scopes\":[\"runs\"],\"operator\":false}");
        API.answer("rival", "GET", "/v1/whoami",
                "{\"tenant\":\"rival\",\"keyId\":\"" + RIVAL.id() + "\",\"scopes\":[\"runs\",\"experiments\"],\"operator\":false}");
        API.answer("rival", "GET", "/v1/experiments", "[]");
        API.answer("acme", "GET", "/v1/runs", json(map("total", 1, "items", List.of(map("id", RUN,
                "tenant", "acme", "status", "SUCCEEDED", "strategy", "best_of_n", "model", "sim-math",
                "createdAt", "2026-01-01T00:00:00Z", "answer", "85", "verdict", "PASS", "tokens", 120, "calls", 3,
                "durationMs", 1234)))));
        API.answer("acme", "GET", "/v1/runs/" + RUN, json(run(RUN, 3)));
        API.answer("acme", "GET", "/v1/runs/" + RUN + "/trace", json(trace(RUN, 3)));
        API.answer("acme", "GET", "/v1/runs/" + BIG_RUN, json(run(BIG_RUN, 1000)));
        API.answer("acme", "GET", "/v1/runs/" + BIG_RUN + "/trace", json(trace(BIG_RUN, 1000)));
        API.answer("acme", "GET", "/v1/runs/" + ARCHON_RUN, json(run(ARCHON_RUN, 4)));
        API.answer("acme", "GET", "/v1/runs/" + ARCHON_RUN + "/trace", json(archonTrace(ARCHON_RUN)));
        API.answer("acme", "GET", "/v1/experiments", json(List.of(map("id", EXPERIMENT, "name", "<b>bon</b> vs vote",
                "status", "SUCCEEDED", "dataset", "sim-math", "items", 3, "arms", List.of(), "createdAt",
                "2026-01-01T00:00:00Z"))));
        API.answer("acme", "GET", "/v1/experiments/" + EXPERIMENT, json(map("id", EXPERIMENT, "name", "bon vs vote",
                "status", "SUCCEEDED", "dataset", "sim-math", "items", 3, "seeds", List.of(1),
                "arms", List.of(map("name", "bon-4@1k", "strategy", "best_of_n", "pool", "sim-math", "planned", 3,
                        "started", 3, "running", 0, "succeeded", 3, "failed", 0, "cancelled", 0, "graded", 3)))));
        API.answer("acme", "GET", "/v1/experiments/" + EXPERIMENT + "/results", json(map("id", EXPERIMENT,
                "status", "SUCCEEDED", "complete", true, "report", map("seed", 1, "items", List.of(),
                        "arms", List.of(arm("bon-4@1k", 300, 0.6), arm("bon-4@4k", 1200, 0.8))))));
        API.answer("acme", "GET", "/v1/experiments/" + EXPERIMENT + "/results.csv", "arm,accuracy\nbon-4@4k,0.8\n");
        API.answer("acme", "GET", "/v1/verifiers", "{\"types\": [\"numeric\"]}");
        API.answer("acme", "POST", "/v1/verifications", json(map("outcome", "PASS", "extracted", "85",
                "evidence", "<i>85</i> equals 85")));
        API.answer("acme", "POST", "/v1/runs/" + RUN + "/cancel", "{\"id\":\"" + RUN + "\",\"status\":\"SUCCEEDED\"}");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("verigen.gateway.orchestrator-url", API::baseUrl);
        registry.add("verigen.gateway.verifier-url", API::baseUrl);
    }

    @AfterAll
    static void stop() {
        API.close();
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void noPageOrFragmentWithoutASession() throws Exception {
        long cancels = API.received().stream().filter(r -> r.path().endsWith("/cancel")).count();
        for (String path : List.of("/ui", "/ui/runs", "/ui/runs/" + RUN, "/ui/experiments", "/ui/tenants",
                "/ui/verifiers")) {
            HttpResponse<String> page = get(path, null);
            assertThat(page.statusCode()).as(path).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).as(path).hasValueSatisfying(
                    l -> assertThat(l).startsWith("/ui/login?next="));
        }
        HttpResponse<String> fragment = send(HttpRequest.newBuilder(uri("/ui/fragments/overview"))
                .header("HX-Request", "true").GET(), null);
        assertThat(fragment.statusCode()).isEqualTo(401);
        assertThat(fragment.headers().firstValue("HX-Redirect")).hasValue("/ui/login");
        HttpResponse<String> live = send(HttpRequest.newBuilder(uri("/ui/runs/" + RUN + "/live"))
                .header("HX-Request", "true").GET(), null);
        assertThat(live.statusCode()).isEqualTo(401);
        HttpResponse<String> cancel = post("/ui/runs/" + RUN + "/cancel", Map.of(), null);
        assertThat(cancel.statusCode()).isEqualTo(401);
        assertThat(API.received().stream().filter(r -> r.path().endsWith("/cancel")).count()).isEqualTo(cancels);
    }

    @Test
    void signInNeedsTheCsrfTokenAndAValidKeyAndKeepsTheKeyOnTheServer() throws Exception {
        Session anonymous = open();
        HttpResponse<String> noToken = post("/ui/login", Map.of("apiKey", ACME.token()), anonymous.cookie());
        assertThat(noToken.statusCode()).isEqualTo(403);
        HttpResponse<String> wrongToken = post("/ui/login", Map.of("apiKey", ACME.token(), "_csrf", "guess"),
                anonymous.cookie());
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        HttpResponse<String> badKey = post("/ui/login", Map.of("apiKey", "vg_aaaaaaaaaaaa_" + "x".repeat(43),
                "_csrf", anonymous.csrf()), anonymous.cookie());
        assertThat(badKey.statusCode()).isEqualTo(200);
        assertThat(badKey.body()).contains("not valid");

        HttpResponse<String> ok = post("/ui/login", Map.of("apiKey", ACME.token(), "_csrf", anonymous.csrf(),
                "next", "/ui/runs"), anonymous.cookie());
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).hasValue("/ui/runs");
        String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/ui");
        String cookie = setCookie.split(";", 2)[0];
        assertThat(cookie).isNotEqualTo(anonymous.cookie()); // a new session id at sign-in
        HttpResponse<String> runs = get("/ui/runs", cookie);
        assertThat(runs.statusCode()).isEqualTo(200);
        assertThat(runs.body()).contains(RUN.substring(0, 8)).doesNotContain(ACME.token());
        // the old (pre-sign-in) session id is worth nothing
        assertThat(get("/ui/runs", anonymous.cookie()).statusCode()).isEqualTo(303);
    }

    @Test
    void offSiteRedirectsAfterSignInAreRefused() throws Exception {
        Session s = open();
        for (String next : List.of("https://evil.example/", "//evil.example/ui", "/ui/../v1", "/\\evil")) {
            HttpResponse<String> ok = post("/ui/login", Map.of("apiKey", ACME.token(), "_csrf", s.csrf(),
                    "next", next), s.cookie());
            assertThat(ok.headers().firstValue("Location")).as(next).hasValueSatisfying(
                    l -> assertThat(l).isIn("/ui", "/ui/../v1"));
            s = open();
        }
    }

    @Test
    void candidateTextIsEscapedAndTheSelectedCandidateIsMarked() throws Exception {
        String cookie = signIn(ACME);
        HttpResponse<String> page = get("/ui/runs/" + RUN, cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(page.body()).contains("id=\"selectedAnswer\">85<");
        assertThat(page.body()).contains("class=\"node pass selected\"");
        assertThat(page.body()).as("only an Archon run is drawn in layers").doesNotContain("band-label");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'"));
    }

    @Test
    void anArchonRunIsDrawnAsCaptionedLayerBandsWithItsNamesEscaped() throws Exception {
        String cookie = signIn(ACME);
        HttpResponse<String> page = get("/ui/runs/" + ARCHON_RUN, cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        String body = page.body();
        assertThat(body).contains("id=\"layersLegend\"").doesNotContain("<b>draft</b>");
        assertThat(body).contains("class=\"band-label\">Layer 0 · generator “&lt;b&gt;draft&lt;/b&gt;”</text>")
                .contains("class=\"band-label\">Layer 1 · fuser</text>");
        assertThat(body).contains("role=\"group\" aria-label=\"Layer 1 · fuser: 3 candidates in from "
                + "&lt;b&gt;draft&lt;/b&gt;, 1 produced, 1 passed on\"");
        assertThat(body).contains("class=\"edge feeds selected-path\"").contains("node pass selected role kept");
        assertThat(body.split("class=\"edge feeds", -1)).hasSize(4);
    }

    @Test
    void anotherTenantsRunIsNotFound() throws Exception {
        String cookie = signIn(OTHER);
        HttpResponse<String> page = get("/ui/runs/" + RUN, cookie);
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).doesNotContain("alert(1)").doesNotContain("85<");
        // the API was asked with the other tenant's identity, never acme's
        assertThat(API.received()).filteredOn(r -> r.path().equals("/v1/runs/" + RUN))
                .extracting(FakeApi.Received::tenant).contains("other");
    }

    @Test
    void anotherTenantsExperimentIsNotFoundByItsAddress() throws Exception {
        String mine = signIn(ACME);
        assertThat(get("/ui/experiments/" + EXPERIMENT, mine).body()).contains("bon-4@4k"); // it is there to leak
        assertThat(get("/ui/experiments/" + EXPERIMENT + "/results.csv", mine).body()).contains("bon-4@4k,0.8");

        String cookie = signIn(RIVAL);
        for (String path : List.of("/ui/experiments/" + EXPERIMENT, "/ui/experiments/" + EXPERIMENT + "/progress",
                "/ui/experiments/" + EXPERIMENT + "/results.csv")) {
            HttpResponse<String> page = get(path, cookie);
            assertThat(page.statusCode()).as(path).isEqualTo(404);
            assertThat(page.body()).as(path).doesNotContain("bon vs vote").doesNotContain("bon-4@")
                    .doesNotContain("accuracyChart").doesNotContain("sim-math");
        }
        assertThat(get("/ui/experiments/" + EXPERIMENT, cookie).body()).contains("<h1>Not found</h1>");
        assertThat(get("/ui/experiments", cookie).body()).doesNotContain(EXPERIMENT);
        // the API was asked with the rival's identity, never acme's
        assertThat(API.received()).filteredOn(r -> r.path().startsWith("/v1/experiments/" + EXPERIMENT)
                        && "rival".equals(r.tenant())).extracting(FakeApi.Received::path)
                .contains("/v1/experiments/" + EXPERIMENT, "/v1/experiments/" + EXPERIMENT + "/results.csv");
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() throws Exception {
        String cookie = signIn(ACME);
        int before = (int) API.received().stream().filter(r -> r.path().endsWith("/cancel")).count();
        assertThat(post("/ui/runs/" + RUN + "/cancel", Map.of(), cookie).statusCode()).isEqualTo(403);
        assertThat(post("/ui/runs/" + RUN + "/cancel", Map.of("_csrf", "nope"), cookie).statusCode()).isEqualTo(403);
        assertThat(API.received().stream().filter(r -> r.path().endsWith("/cancel")).count()).isEqualTo(before);
        String token = csrfOf(get("/ui/runs/" + RUN, cookie).body());
        HttpResponse<String> cancelled = post("/ui/runs/" + RUN + "/cancel", Map.of("_csrf", token), cookie);
        assertThat(cancelled.statusCode()).isEqualTo(303);
        assertThat(API.received().stream().filter(r -> r.path().endsWith("/cancel")).count()).isEqualTo(before + 1);
    }

    @Test
    void aThousandCandidateRunRendersQuicklyWithTheTreeCollapsed() throws Exception {
        String cookie = signIn(ACME);
        get("/ui/runs/" + BIG_RUN, cookie); // warm-up
        long start = System.nanoTime();
        HttpResponse<String> page = get("/ui/runs/" + BIG_RUN, cookie);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(page.statusCode()).isEqualTo(200);
        System.out.printf("a 1,000-candidate run's page: %d ms, %d bytes%n", ms, page.body().length());
        assertThat(ms).as("render time in ms").isLessThan(3000);
        int circles = page.body().split("<circle", -1).length - 1;
        assertThat(circles).isBetween(20, 450);
        assertThat(page.body()).contains("node collapsed").contains("1000</span> candidates");
        assertThat(page.body().length()).isLessThan(2_000_000);
    }

    @Test
    void experimentPagesShowProgressAndPlots() throws Exception {
        String cookie = signIn(ACME);
        HttpResponse<String> list = get("/ui/experiments", cookie);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("&lt;b&gt;bon&lt;/b&gt; vs vote").contains("id=\"experimentJson\"");
        HttpResponse<String> page = get("/ui/experiments/" + EXPERIMENT, cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"accuracyChart\"").contains("&quot;logX&quot;:true")
                .contains("bon-4@4k").contains("results.csv");
        // a form without the token is refused before anything reaches the API
        assertThat(post("/ui/experiments", Map.of("json", "{}"), cookie).statusCode()).isEqualTo(403);
    }

    @Test
    void theVerifierPlaygroundShowsTheVerdictEscaped() throws Exception {
        String cookie = signIn(ACME);
        String token = csrfOf(get("/ui/verifiers", cookie).body());
        HttpResponse<String> verdict = post("/ui/verifiers", Map.of("_csrf", token, "verifier", "numeric",
                "candidate", "Answer: 85", "reference", "85"), cookie);
        assertThat(verdict.statusCode()).isEqualTo(200);
        assertThat(verdict.body()).contains(">PASS<").contains("&lt;i&gt;85&lt;/i&gt; equals 85");
    }

    @Test
    void tenantsAndKeysAreForAdminsOnly() throws Exception {
        String cookie = signIn(ACME); // runs and experiments, no admin
        HttpResponse<String> page = get("/ui/tenants", cookie);
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).doesNotContain("Make key");
    }

    // ------------------------------------------------------------------------------------------------- fixtures

    private static Map<String, Object> arm(String name, double tokens, double accuracy) {
        return map("arm", name, "runs", 3, "items", 3, "accuracy", accuracy, "answered", 1.0, "tokensMean", tokens,
                "passAtK", List.of(map("k", 1, "value", accuracy - 0.1, "runs", 3), map("k", 4, "value", accuracy, "runs", 3)),
                "majorityAtK", List.of(map("k", 1, "value", accuracy - 0.1, "runs", 3)),
                "verifier", map("falsePositiveRate", 0.0, "falseNegativeRate", 0.1));
    }

    private static Map<String, Object> candidate(String run, int i, boolean selected) {
        String text = i == 1 ? "<script>alert(1)</script> so the answer is 85" : "step " + i + " answer " + (80 + i % 7);
        return map("id", uuid(run, i), "index", i, "role", "GENERATE", "label", "sample", "pool", "sim-math",
                "backend", "sim", "simulated", true, "complete", true, "finishReason", "stop",
                "completionTokens", 12, "text", text, "createdAt", "2026-01-01T00:00:01Z",
                "verdicts", List.of(map("verifier", "numeric", "outcome", selected ? "PASS" : "FAIL",
                        "extracted", selected ? "85" : "8" + (i % 7), "evidence", "compared with <b>85</b>")),
                "scores", List.of(map("scorer", "sim-orm", "value", selected ? 0.9 : 0.2)),
                "children", List.of());
    }

    private static String uuid(String run, int i) {
        return run.substring(0, 24) + String.format("%012d", i);
    }

    private static Map<String, Object> run(String id, int n) {
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            candidates.add(map("id", uuid(id, i), "index", i, "text", "t", "extracted", i == 1 ? "85" : "8" + i % 7,
                    "verdict", i == 1 ? "PASS" : "FAIL", "completionTokens", 12, "finishReason", "stop"));
        }
        return map("id", id, "status", "SUCCEEDED", "createdAt", "2026-01-01T00:00:00Z",
                "pipeline", map("strategy", "best_of_n", "n", n, "model", "sim-math"),
                "input", map("prompt", "What is 37 + 48? <img src=x onerror=alert(2)>"),
                "result", map("candidateId", uuid(id, 1), "text", "<script>alert(1)</script> so the answer is 85",
                        "extracted", "85", "verdict", "PASS", "score", 0.9, "reason", "verified pass; highest score"),
                "budget", map("maxTokens", 20000, "usedTokens", 120, "reservedTokens", 0, "usedCalls", 3,
                        "reservedCalls", 0, "usedFlops", 1.0e9, "reservedFlops", 0),
                "candidates", candidates);
    }

    private static Map<String, Object> trace(String id, int n) {
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            candidates.add(candidate(id, i, i == 1));
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int s = 0; s < Math.min(n, 50); s++) {
            steps.add(map("id", UUID.randomUUID().toString(), "seq", s, "kind", s % 2 == 0 ? "GENERATION" : "VERIFICATION",
                    "label", "s" + s, "status", "DONE", "pool", "sim-math", "createdAt", "2026-01-01T00:00:0" + (s % 5) + "Z",
                    "completedAt", "2026-01-01T00:00:0" + (s % 5 + 1) + "Z", "usage", map("engineMs", 400)));
        }
        return map("runId", id, "status", "SUCCEEDED", "strategy", "best_of_n", "createdAt", "2026-01-01T00:00:00Z",
                "selectedCandidateId", uuid(id, 1), "steps", steps, "candidates", candidates);
    }

    /** Three samples of a layer named {@code <b>draft</b>}, fused by the next layer into the answer. */
    private static Map<String, Object> archonTrace(String id) {
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Object> c = candidate(id, i, i == 3);
            c.put("label", i < 3 ? "archon/L0/gen/0" : "archon/L1/fuse/0");
            c.put("role", i < 3 ? "GENERATE" : "FUSE");
            candidates.add(c);
        }
        List<String> samples = List.of(uuid(id, 0), uuid(id, 1), uuid(id, 2));
        return map("runId", id, "status", "SUCCEEDED", "strategy", "archon", "createdAt", "2026-01-01T00:00:00Z",
                "selectedCandidateId", uuid(id, 3), "steps", List.of(), "candidates", candidates,
                "layers", List.of(
                        map("position", 1, "name", "layer-1", "type", "fuser", "components", 1,
                                "from", List.of("<b>draft</b>"), "status", "DONE", "inputs", samples,
                                "outputs", List.of(uuid(id, 3))),
                        map("position", 0, "name", "<b>draft</b>", "type", "generator", "components", 1,
                                "from", List.of(), "status", "DONE", "inputs", List.of(), "outputs", samples)));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String json(Object o) {
        return JSON.writeValueAsString(o);
    }

    // ------------------------------------------------------------------------------------------------- http

    record Session(String cookie, String csrf) {
    }

    private Session open() throws Exception {
        HttpResponse<String> login = get("/ui/login", null);
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        return new Session(cookie, csrfOf(login.body()));
    }

    private String signIn(KeyDatabase.Key key) throws Exception {
        Session s = open();
        HttpResponse<String> ok = post("/ui/login", Map.of("apiKey", key.token(), "_csrf", s.csrf()), s.cookie());
        assertThat(ok.statusCode()).isEqualTo(303);
        return ok.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    private static String csrfOf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF field in the page").isTrue();
        return m.group(1);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET(), cookie);
    }

    private HttpResponse<String> post(String path, Map<String, String> form, String cookie) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), cookie);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String cookie) throws Exception {
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
