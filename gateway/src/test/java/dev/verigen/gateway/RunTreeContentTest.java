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
 * What a run's page says about how its strategy searched, read from the rendered HTML as a browser would get it: a
 * self-consistency run's vote distribution, and an IAD run's critiques and refinements drawn under the answer they
 * work from. Same set-up as {@link DashboardTest}: keys in real PostgreSQL, a fake API behind the gateway.
 */
@GatewayTest
class RunTreeContentTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FakeApi API = new FakeApi();
    private static final KeyDatabase DB = KeyDatabase.migrated("gwdashtree");
    private static final KeyDatabase.Key ACME = DB.createKey("acme", Scope.RUNS);
    private static final String VOTE_RUN = "5c1a7e00-0000-4000-8000-000000000001";
    private static final String IAD_RUN = "5c1a7e00-0000-4000-8000-000000000002";

    // self_consistency: three say 85, two 84, one 80; a streamed snapshot and an answerless sample cast no vote
    private static final List<String> STATED = List.of("85", "84", "85", "80", "85", "84");

    // iad: g0 is critiqued and refined (round 1), its refinement critiqued and refined again (round 2)
    private static final String G0 = id(IAD_RUN, 0);
    private static final String G1 = id(IAD_RUN, 1);
    private static final String CRITIQUE_1 = id(IAD_RUN, 2);
    private static final String REFINE_1 = id(IAD_RUN, 3);
    private static final String CRITIQUE_2 = id(IAD_RUN, 4);
    private static final String REFINE_2 = id(IAD_RUN, 5);

    static {
        API.answer("acme", "GET", "/v1/whoami",
                "{\"tenant\":\"acme\",\"keyId\":\"" + ACME.id() + "\",\"scopes\":[\"runs\"],\"operator\":false}");
        voteRun();
        iadRun();
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
    void aSelfConsistencyRunShowsItsVoteDistributionWithTheWinnerMarked() throws Exception {
        Document page = page("/ui/runs/" + VOTE_RUN);

        List<Element> rows = page.select("table#votes tbody tr");
        assertThat(rows).extracting(r -> r.selectFirst("td code").text()).containsExactly("85", "84", "80");
        assertThat(rows).extracting(r -> r.selectFirst("td.votes").text()).containsExactly("3", "2", "1");
        // shares of the six votes cast, not of the eight candidates
        assertThat(rows).extracting(r -> r.selectFirst("td.share").text()).containsExactly("50%", "33%", "17%");
        assertThat(rows).extracting(r -> r.selectFirst("meter").attr("value")).containsExactly("3", "2", "1");

        // the winner is marked in words (a screen reader hears it), not only by its style, and it is the answer
        // the run selected
        assertThat(page.select("table#votes tr.winner")).singleElement()
                .satisfies(w -> assertThat(w.attr("data-answer")).isEqualTo("85"));
        assertThat(page.select("table#votes .winner-tag")).singleElement().satisfies(t -> {
            assertThat(t.text()).isEqualTo("most votes");
            assertThat(t.closest("tr").attr("data-answer")).isEqualTo("85");
        });
        assertThat(page.getElementById("selectedAnswer").text()).isEqualTo("85");
    }

    @Test
    void anIadRunDrawsCritiquesAndRefinementsUnderWhatTheyWorkFrom() throws Exception {
        Document page = page("/ui/runs/" + IAD_RUN);

        assertThat(drawnUnder(page, CRITIQUE_1)).isEqualTo(G0);
        assertThat(drawnUnder(page, REFINE_1)).isEqualTo(G0);
        assertThat(drawnUnder(page, CRITIQUE_2)).isEqualTo(REFINE_1);
        assertThat(drawnUnder(page, REFINE_2)).isEqualTo(REFINE_1);
        assertThat(drawnUnder(page, G0)).as("a fresh sample hangs from the run").isEqualTo("run");
        assertThat(drawnUnder(page, G1)).isEqualTo("run");

        // every node says its role, in the drawing (its accessible name) and in the list under it
        Map<String, String> roles = Map.of(G0, "generate", G1, "generate", CRITIQUE_1, "critique",
                REFINE_1, "refine", CRITIQUE_2, "critique", REFINE_2, "refine");
        roles.forEach((id, role) -> {
            Element node = page.selectFirst("svg#tree a[data-node='" + id + "']");
            assertThat(node).as(id).isNotNull();
            assertThat(node.attr("aria-label")).as(id).contains(" " + role);
            assertThat(node.selectFirst("title").text()).as(id).contains(" " + role);
            assertThat(page.getElementById("node-" + id).selectFirst("summary").text()).as(id).contains(role);
        });
        // the critique's text and the refinement that answers it are both readable from the list
        assertThat(page.getElementById("node-" + CRITIQUE_1).selectFirst("pre.text").wholeText())
                .isEqualTo("6*7 is 42, not 43.\nVerdict: incorrect");
        assertThat(page.getElementById("node-" + REFINE_2).hasClass("selected")).isTrue();
        assertThat(page.selectFirst("svg#tree a[data-node='" + REFINE_2 + "'] circle").classNames())
                .contains("selected", "pass");
        assertThat(page.selectFirst("svg#tree a[data-node='" + REFINE_1 + "'] circle").classNames())
                .contains("on-path");
    }

    /**
     * The node the SVG draws an edge down to {@code id} from: the edge that ends on its circle's centre starts on the
     * parent's centre, one row higher.
     */
    private static String drawnUnder(Document page, String id) {
        Element circle = page.selectFirst("svg#tree a[data-node='" + id + "'] circle");
        assertThat(circle).as("node " + id + " drawn").isNotNull();
        String cx = circle.attr("cx");
        String cy = circle.attr("cy");
        List<Element> in = page.select("svg#tree line").stream()
                .filter(l -> l.attr("x2").equals(cx) && l.attr("y2").equals(cy)).toList();
        assertThat(in).as("edges into " + id).hasSize(1);
        Element edge = in.getFirst();
        assertThat(Integer.parseInt(edge.attr("y1"))).as("drawn below its parent").isLessThan(Integer.parseInt(cy));
        List<String> parents = page.select("svg#tree circle").stream()
                .filter(c -> c.attr("cx").equals(edge.attr("x1")) && c.attr("cy").equals(edge.attr("y1")))
                .map(c -> c.parent().hasAttr("data-node") ? c.parent().attr("data-node") : "run").toList();
        assertThat(parents).as("the node the edge into " + id + " starts on").hasSize(1);
        return parents.getFirst();
    }

    // ------------------------------------------------------------------------------------------------- fixtures

    private static void voteRun() {
        List<Map<String, Object>> summary = new ArrayList<>();
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (int i = 0; i < STATED.size(); i++) {
            String answer = STATED.get(i);
            String outcome = answer.equals("85") ? "PASS" : "FAIL";
            summary.add(map("id", id(VOTE_RUN, i), "index", i, "extracted", answer, "verdict", outcome,
                    "completionTokens", 20, "finishReason", "stop"));
            nodes.add(candidate(VOTE_RUN, i, "GENERATE", "sample", "... so the answer is " + answer, answer, outcome,
                    List.of()));
        }
        // a snapshot of a sample still streaming, and a sample that never stated an answer: neither votes
        summary.add(map("id", id(VOTE_RUN, 6), "index", 6, "extracted", "99", "completionTokens", 5,
                "finishReason", "partial"));
        summary.add(map("id", id(VOTE_RUN, 7), "index", 7, "completionTokens", 20, "finishReason", "length"));
        nodes.add(candidate(VOTE_RUN, 6, "GENERATE", "sample", "so far 99", null, null, List.of()));
        nodes.add(candidate(VOTE_RUN, 7, "GENERATE", "sample", "I am not sure", null, null, List.of()));

        API.answer("acme", "GET", "/v1/runs/" + VOTE_RUN, json(run(VOTE_RUN, "self_consistency", summary,
                map("candidateId", id(VOTE_RUN, 0), "text", "... so the answer is 85", "extracted", "85",
                        "verdict", "PASS", "reason", "majority vote: 85 by 3 of 6"))));
        API.answer("acme", "GET", "/v1/runs/" + VOTE_RUN + "/trace",
                json(trace(VOTE_RUN, "self_consistency", id(VOTE_RUN, 0), nodes)));
    }

    private static void iadRun() {
        Map<String, Object> refine2 = candidate(IAD_RUN, 5, "REFINE", "iad/r2/refine/0", "Answer: 42", "42", "PASS",
                List.of());
        Map<String, Object> critique2 = candidate(IAD_RUN, 4, "CRITIQUE", "iad/r2/critique/0",
                "42 looks right.\nVerdict: correct", null, null, List.of());
        Map<String, Object> refine1 = candidate(IAD_RUN, 3, "REFINE", "iad/r1/refine/0", "Answer: 41", "41", "FAIL",
                List.of(critique2, refine2));
        Map<String, Object> critique1 = candidate(IAD_RUN, 2, "CRITIQUE", "iad/r1/critique/0",
                "6*7 is 42, not 43.\nVerdict: incorrect", null, null, List.of());
        Map<String, Object> g0 = candidate(IAD_RUN, 0, "GENERATE", "iad/r0/generate", "Answer: 43", "43", "FAIL",
                List.of(critique1, refine1));
        Map<String, Object> g1 = candidate(IAD_RUN, 1, "GENERATE", "iad/r0/generate", "Answer: 40", "40", "FAIL",
                List.of());

        List<Map<String, Object>> summary = new ArrayList<>();
        for (Map<String, Object> c : List.of(g0, g1, critique1, refine1, critique2, refine2)) {
            summary.add(map("id", c.get("id"), "index", c.get("index"), "extracted", verdict(c, "extracted"),
                    "verdict", verdict(c, "outcome"), "completionTokens", 20, "finishReason", "stop"));
        }
        API.answer("acme", "GET", "/v1/runs/" + IAD_RUN, json(run(IAD_RUN, "iad", summary,
                map("candidateId", REFINE_2, "text", "Answer: 42", "extracted", "42", "verdict", "PASS",
                        "reason", "verified pass after 2 rounds"))));
        API.answer("acme", "GET", "/v1/runs/" + IAD_RUN + "/trace", json(trace(IAD_RUN, "iad", REFINE_2,
                List.of(g0, g1))));
    }

    private static Object verdict(Map<String, Object> c, String field) {
        return c.get("verdicts") instanceof List<?> l && !l.isEmpty() ? ((Map<?, ?>) l.getFirst()).get(field) : null;
    }

    private static Map<String, Object> candidate(String run, int i, String role, String label, String text,
                                                 String extracted, String outcome,
                                                 List<Map<String, Object>> children) {
        return map("id", id(run, i), "index", i, "role", role, "label", label, "pool", "sim-math",
                "backend", "sim", "simulated", true, "complete", true, "finishReason", "stop",
                "completionTokens", 20, "text", text, "createdAt", "2026-01-01T00:00:01Z",
                "verdicts", outcome == null ? List.of() : List.of(map("verifier", "numeric", "outcome", outcome,
                        "extracted", extracted, "evidence", "compared")),
                "scores", List.of(), "children", children);
    }

    private static Map<String, Object> run(String id, String strategy, List<Map<String, Object>> candidates,
                                           Map<String, Object> result) {
        return map("id", id, "status", "SUCCEEDED", "createdAt", "2026-01-01T00:00:00Z",
                "pipeline", map("strategy", strategy, "n", candidates.size(), "model", "sim-math"),
                "input", map("prompt", "What is 6 * 7?"), "result", result,
                "budget", map("maxTokens", 20000, "usedTokens", 160, "reservedTokens", 0, "usedCalls", 8,
                        "reservedCalls", 0, "usedFlops", 1.0e9, "reservedFlops", 0),
                "candidates", candidates);
    }

    private static Map<String, Object> trace(String id, String strategy, String selected,
                                             List<Map<String, Object>> roots) {
        return map("runId", id, "status", "SUCCEEDED", "strategy", strategy, "createdAt", "2026-01-01T00:00:00Z",
                "selectedCandidateId", selected, "steps", List.of(), "candidates", roots);
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

    // ------------------------------------------------------------------------------------------------- http

    private Document page(String path) throws Exception {
        HttpResponse<String> page = get(path, signIn());
        assertThat(page.statusCode()).as(path).isEqualTo(200);
        return Jsoup.parse(page.body());
    }

    private String signIn() throws Exception {
        HttpResponse<String> login = get("/ui/login", null);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        String csrf = Jsoup.parse(login.body()).selectFirst("input[name=_csrf]").val();
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri("/ui/login")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8)
                        + "&apiKey=" + URLEncoder.encode(ACME.token(), StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(303);
        return ok.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(30));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
