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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every dashboard page as a screen reader gets it, without a browser: each form control has an accessible name, what
 * a name points at exists, and the drawings say what they are. Signed in as an operator, with a running run and a
 * running experiment, so that every optional control (tenant filter, cancel buttons, tenant forms) is rendered.
 */
@GatewayTest
class DashboardAccessibilityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FakeApi API = new FakeApi();
    private static final KeyDatabase DB = KeyDatabase.migrated("gwdasha11y");
    private static final KeyDatabase.Key OPS = DB.createKey("ops", Scope.RUNS, Scope.EXPERIMENTS, Scope.ADMIN,
            Scope.OPERATOR);
    private static final String RUN = "a1100000-0000-4000-8000-000000000001";
    private static final String EXPERIMENT = "a1100000-0000-4000-8000-000000000002";

    static {
        API.answer("ops", "GET", "/v1/whoami", "{\"tenant\":\"ops\",\"keyId\":\"" + OPS.id()
                + "\",\"scopes\":[\"runs\",\"experiments\",\"admin\",\"operator\"],\"operator\":true}");
        API.answer("ops", "GET", "/v1/stats/overview", json(map(
                "totals", map("running", 1, "runs", 4, "succeeded", 2, "failed", 1, "tokens", 1200, "calls", 9),
                "verifierPassRate", 0.5, "verdicts", 4,
                "runsPerMinute", List.of(map("minute", "2026-01-01T00:00:00Z", "counts", map("SUCCEEDED", 2))),
                "usagePerMinute", List.of(map("minute", "2026-01-01T00:00:00Z", "tokens", 1200, "calls", 9)),
                "budgets", List.of(map("tenant", "ops", "windowTokens", 1200, "usedTokens", 1200,
                        "maxTokens", 100000, "reservedTokens", 0)),
                "recentFailures", List.of(map("runId", RUN, "tenant", "ops", "strategy", "best_of_n",
                        "errorCode", "budget_exhausted", "errorDetail", "out of tokens",
                        "finishedAt", "2026-01-01T00:00:00Z")))));
        API.answer("ops", "GET", "/v1/platform/health", json(map(
                "pools", List.of(map("pool", "sim-math", "topic", "jobs.sim-math", "depth", 0, "consumers", 1,
                        "pendingJobs", 0, "oldestPendingSeconds", 0)),
                "queues", List.of(map("group", "verifier-svc", "topic", "verify", "depth", 0, "consumers", 1)),
                "services", List.of(map("name", "orchestrator", "status", "UP")))));
        API.answer("ops", "GET", "/v1/runs", json(map("total", 1, "items", List.of(map("id", RUN, "tenant", "ops",
                "status", "RUNNING", "strategy", "self_consistency", "model", "sim-math",
                "createdAt", "2026-01-01T00:00:00Z", "tokens", 120, "calls", 3, "durationMs", 1234)))));
        API.answer("ops", "GET", "/v1/runs/" + RUN, json(map("id", RUN, "status", "RUNNING",
                "createdAt", "2026-01-01T00:00:00Z",
                "pipeline", map("strategy", "self_consistency", "n", 2, "model", "sim-math"),
                "input", map("prompt", "What is 37 + 48?"),
                "budget", map("maxTokens", 20000, "usedTokens", 120, "reservedTokens", 40, "usedCalls", 3,
                        "reservedCalls", 1, "usedFlops", 1.0e9, "reservedFlops", 0),
                "candidates", List.of(map("id", id(RUN, 0), "index", 0, "extracted", "85", "verdict", "PASS",
                        "completionTokens", 12, "finishReason", "stop")))));
        API.answer("ops", "GET", "/v1/runs/" + RUN + "/trace", json(map("runId", RUN, "status", "RUNNING",
                "strategy", "self_consistency", "createdAt", "2026-01-01T00:00:00Z", "selectedCandidateId", null,
                "steps", List.of(map("id", id(RUN, 9), "seq", 0, "kind", "GENERATION", "label", "sample",
                        "status", "DONE", "pool", "sim-math", "createdAt", "2026-01-01T00:00:00Z",
                        "completedAt", "2026-01-01T00:00:01Z", "usage", map("engineMs", 400))),
                "candidates", List.of(map("id", id(RUN, 0), "index", 0, "role", "GENERATE", "label", "sample",
                        "pool", "sim-math", "backend", "sim", "simulated", true, "complete", true,
                        "finishReason", "stop", "completionTokens", 12, "text", "so the answer is 85",
                        "verdicts", List.of(map("verifier", "numeric", "outcome", "PASS", "extracted", "85",
                                "evidence", "85 = 85")),
                        "scores", List.of(), "children", List.of())))));
        API.answer("ops", "GET", "/v1/experiments", json(List.of(map("id", EXPERIMENT, "name", "bon vs vote",
                "status", "RUNNING", "dataset", "sim-math", "items", 3, "arms", List.of(),
                "createdAt", "2026-01-01T00:00:00Z"))));
        API.answer("ops", "GET", "/v1/experiments/" + EXPERIMENT, json(map("id", EXPERIMENT, "name", "bon vs vote",
                "status", "RUNNING", "dataset", "sim-math", "items", 3, "seeds", List.of(1),
                "arms", List.of(map("name", "bon-4", "strategy", "best_of_n", "pool", "sim-math", "planned", 3,
                        "started", 2, "running", 1, "succeeded", 1, "failed", 0, "cancelled", 0, "graded", 1)))));
        API.answer("ops", "GET", "/v1/tenants", json(List.of(map("id", "ops", "name", "Operations"))));
        API.answer("ops", "GET", "/v1/tenants/ops/keys", json(List.of(map("id", OPS.id(), "name", "ops",
                "scopes", List.of("operator"), "requestsPerMinute", 600, "burst", 100,
                "createdAt", "2026-01-01T00:00:00Z"))));
        API.answer("ops", "GET", "/v1/tenants/ops/budget", json(map("maxTokens", 100000, "usedTokens", 1200,
                "reservedTokens", 0, "maxCalls", null, "usedCalls", 9, "reservedCalls", 0)));
        API.answer("ops", "GET", "/v1/verifiers", "{\"types\": [\"numeric\"]}");
        API.answer("ops", "POST", "/v1/verifications", json(map("outcome", "PASS", "extracted", "85",
                "evidence", "85 equals 85")));
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
    void everyFormControlOnEveryPageHasAnAccessibleName() throws Exception {
        Map<String, Document> pages = pages();
        List<String> unnamed = new ArrayList<>();
        int controls = 0;
        for (var page : pages.entrySet()) {
            for (Element control : page.getValue().select("input:not([type=hidden]), select, textarea, button, meter")) {
                controls++;
                if (accessibleName(page.getValue(), control).isBlank()) {
                    unnamed.add(page.getKey() + ": " + control.outerHtml().lines().findFirst().orElse(""));
                }
            }
        }
        assertThat(unnamed).as("controls without an accessible name").isEmpty();
        // the pages did render their forms: filters, sign-in and sign-out, cancel buttons, key and tenant forms
        assertThat(controls).isGreaterThan(40);
        assertThat(pages.get("/ui/runs").select("select")).hasSize(2);
        assertThat(pages.get("/ui/runs/" + RUN).select("button#cancelRun")).hasSize(1);
        assertThat(pages.get("/ui/tenants").select("input[type=checkbox]")).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void namesPointAtElementsThatExistAndIdsAreUnique() throws Exception {
        for (var page : pages().entrySet()) {
            Document doc = page.getValue();
            Map<String, Long> ids = doc.select("[id]").stream()
                    .collect(Collectors.groupingBy(Element::id, Collectors.counting()));
            assertThat(ids).as(page.getKey() + ": ids used more than once")
                    .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            for (Element label : doc.select("label[for]")) {
                assertThat(doc.getElementById(label.attr("for"))).as(page.getKey() + ": " + label.outerHtml())
                        .isNotNull();
            }
            for (Element named : doc.select("[aria-labelledby], [aria-describedby]")) {
                for (String ref : (named.attr("aria-labelledby") + " " + named.attr("aria-describedby")).split("\\s+")) {
                    if (!ref.isBlank()) {
                        assertThat(doc.getElementById(ref)).as(page.getKey() + ": " + ref).isNotNull();
                    }
                }
            }
        }
    }

    @Test
    void drawingsSayWhatTheyAre() throws Exception {
        Map<String, Document> pages = pages();
        Document run = pages.get("/ui/runs/" + RUN);
        Element tree = run.selectFirst("svg#tree");
        assertThat(tree.attr("role")).isNotBlank();
        assertThat(tree.attr("aria-label")).isEqualTo("search tree of 1 candidates");
        // each drawn candidate is a link a keyboard reaches, named by what it is
        assertThat(tree.select("a[data-node]")).isNotEmpty()
                .allSatisfy(a -> assertThat(a.attr("aria-label")).contains("generate").contains("tokens"));
        assertThat(run.selectFirst("svg#timeline").attr("aria-label")).startsWith("timeline of 1 jobs");
        for (String path : List.of("/ui", "/ui/experiments/" + EXPERIMENT)) {
            assertThat(pages.get(path).select("canvas")).as(path).isNotEmpty().allSatisfy(c -> {
                assertThat(c.attr("role")).isEqualTo("img");
                assertThat(accessibleName(pages.get(path), c)).isNotBlank();
            });
        }
        for (var page : pages.entrySet()) {
            assertThat(page.getValue().selectFirst("html").attr("lang")).as(page.getKey()).isEqualTo("en");
            assertThat(page.getValue().select("h1")).as(page.getKey()).hasSize(1);
        }
    }

    /**
     * The accessible name as a browser computes it, for the ways these pages name things: aria-labelledby,
     * aria-label, a label for its id, a label around it (less the control's own text), a button's text.
     */
    static String accessibleName(Document doc, Element el) {
        if (el.hasAttr("aria-labelledby")) {
            String name = List.of(el.attr("aria-labelledby").split("\\s+")).stream().map(doc::getElementById)
                    .filter(java.util.Objects::nonNull).map(Element::text).collect(Collectors.joining(" ")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        }
        if (!el.attr("aria-label").isBlank()) {
            return el.attr("aria-label").strip();
        }
        if (!el.id().isEmpty()) {
            for (Element label : doc.select("label[for]")) {
                if (label.attr("for").equals(el.id()) && !label.text().isBlank()) {
                    return label.text().strip();
                }
            }
        }
        Element around = el.parents().stream().filter(p -> p.normalName().equals("label")).findFirst().orElse(null);
        if (around != null) {
            Element copy = around.clone();
            copy.select(el.tagName()).remove();
            if (!copy.text().isBlank()) {
                return copy.text().strip();
            }
        }
        if (el.normalName().equals("button")) {
            return el.text().strip();
        }
        if (el.normalName().equals("input") && List.of("submit", "button", "reset").contains(el.attr("type"))) {
            return el.attr("value").strip();
        }
        return "";
    }

    // ------------------------------------------------------------------------------------------------- pages

    private Map<String, Document> pages() throws Exception {
        Map<String, Document> pages = new LinkedHashMap<>();
        HttpResponse<String> login = get("/ui/login", null);
        assertThat(login.statusCode()).isEqualTo(200);
        pages.put("/ui/login", Jsoup.parse(login.body()));
        String cookie = signIn(login);
        for (String path : List.of("/ui", "/ui/runs", "/ui/runs/" + RUN, "/ui/experiments",
                "/ui/experiments/" + EXPERIMENT, "/ui/tenants", "/ui/verifiers")) {
            HttpResponse<String> page = get(path, cookie);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            pages.put(path, Jsoup.parse(page.body()));
        }
        HttpResponse<String> missing = get("/ui/runs/" + id(RUN, 7), cookie);
        assertThat(missing.statusCode()).isEqualTo(404);
        pages.put("not found", Jsoup.parse(missing.body()));
        String csrf = pages.get("/ui/verifiers").selectFirst("input[name=_csrf]").val();
        HttpResponse<String> verdict = post("/ui/verifiers", Map.of("_csrf", csrf, "verifier", "numeric",
                "candidate", "Answer: 85", "reference", "85"), cookie);
        assertThat(verdict.statusCode()).isEqualTo(200);
        pages.put("verifier verdict", Jsoup.parse(verdict.body()));
        return pages;
    }

    private String signIn(HttpResponse<String> login) throws Exception {
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        String csrf = Jsoup.parse(login.body()).selectFirst("input[name=_csrf]").val();
        HttpResponse<String> ok = post("/ui/login", Map.of("_csrf", csrf, "apiKey", OPS.token()), cookie);
        assertThat(ok.statusCode()).isEqualTo(303);
        return ok.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    private static String id(String run, int i) {
        return run.substring(0, 24) + String.format("%012d", i);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String json(Object o) {
        return JSON.writeValueAsString(o);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        return send(request, cookie);
    }

    private HttpResponse<String> post(String path, Map<String, String> form, String cookie) throws Exception {
        String body = form.entrySet().stream().map(e -> e.getKey() + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), cookie);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String cookie) throws Exception {
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
