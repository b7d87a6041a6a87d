package dev.verigen.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin dashboard (issue 14) in real headless Chromium against the running platform: sign-in, runs of several
 * strategies, a particle filter followed live until it finishes, its tree and selected answer checked against the API,
 * escaping, tenant isolation (runs and experiments), sessions and CSRF, and use on a 400 px screen, by keyboard and with
 * the names a screen reader reads. Screenshots land in {@code e2e-tests/target/dashboard-screenshots/}.
 * Runs inside {@link PlatformScenarios} (a nested class), on the platform it started; alone with
 * {@code -Dtest=EndToEndIT -Dgroups=dashboard}.
 */
@Tag("dashboard")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DashboardScenarios {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Browser browser;

    abstract Platform platform();

    @BeforeAll
    void openBrowser() {
        browser = new Browser(Path.of(System.getProperty("verigen.root", "..")).toAbsolutePath().normalize());
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private WebDriver web() {
        return browser.driver();
    }

    private String url(String path) {
        return platform().gatewayUrl() + path;
    }

    // ------------------------------------------------------------------------------------------------- scenarios

    @Test
    @Order(1)
    void noPageOrFragmentWithoutASessionAndNoFormWithoutItsCsrfToken() throws Exception {
        web().manage().deleteAllCookies();
        web().get(url("/ui/runs"));
        assertThat(web().getCurrentUrl()).contains("/ui/login");
        for (String path : List.of("/ui", "/ui/runs", "/ui/experiments", "/ui/tenants", "/ui/verifiers",
                "/ui/runs/00000000-0000-0000-0000-000000000000")) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(path).isEqualTo(303);
        }
        HttpResponse<String> fragment = http.send(HttpRequest.newBuilder(URI.create(url("/ui/fragments/overview")))
                .header("HX-Request", "true").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fragment.statusCode()).isEqualTo(401);
        // a signed-in session's form without the token: refused
        String cookie = signInOverHttp(platform().adminKey());
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(url("/ui/tenants")))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=create-tenant&id=forged&name=forged")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(api("GET", "/v1/tenants/forged", null, platform().adminKey()).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aParticleFilterIsFollowedLiveAndItsTreeAndAnswerMatchTheApi() throws Exception {
        // runs of several strategies, for the list
        for (String pipeline : List.of(
                "{\"strategy\": \"best_of_n\", \"n\": 6, \"rewardModel\": \"sim-orm\"}",
                "{\"strategy\": \"self_consistency\", \"n\": 6}",
                "{\"strategy\": \"beam_search\", \"options\": {\"beamWidth\": 2, \"expansions\": 2, \"prm\": \"sim-prm:last\"}}")) {
            startRun(pipeline, "What is 37 + 48?", "85", 0);
        }
        signIn(platform().adminKey());
        String id = null;
        boolean sawRunning = false;
        for (int attempt = 0; attempt < 3 && !sawRunning; attempt++) {
            id = startRun("{\"strategy\": \"particle_filter\", \"n\": " + (12 + 12 * attempt)
                          + ", \"rewardModel\": \"sim-orm\", \"options\": {\"prm\": \"sim-prm:last\"}}",
                    "What is 17 * 23 + 5?", "396", 500 + attempt);
            web().get(url("/ui/runs/" + id));
            sawRunning = "RUNNING".equals(web().findElement(By.id("runStatus")).getText());
            if (sawRunning) {
                // a marker that a page load would wipe: the page must change by itself (htmx), not by reloading
                js("window.__stillThisPage = true;");
                browser.screenshot("run-particle-filter-live");
            }
        }
        assertThat(sawRunning).as("a particle-filter run caught while RUNNING").isTrue();
        // htmx replaces the live part every 2 s: an element read during a swap is stale, read it again
        new WebDriverWait(web(), Duration.ofSeconds(120)).pollingEvery(Duration.ofMillis(250))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> !"RUNNING".equals(d.findElement(By.id("runStatus")).getText()));
        assertThat(js("return window.__stillThisPage === true;")).as("followed live, without a reload").isEqualTo(true);
        assertThat(web().findElement(By.id("runStatus")).getText()).isEqualTo("SUCCEEDED");

        JsonNode run = JSON.readTree(api("GET", "/v1/runs/" + id, null, platform().adminKey()).body());
        JsonNode trace = JSON.readTree(api("GET", "/v1/runs/" + id + "/trace", null, platform().adminKey()).body());
        web().get(url("/ui/runs/" + id)); // the finished page, as a bookmark opens it
        assertThat(web().findElement(By.id("selectedAnswer")).getText()).isEqualTo(run.at("/result/extracted").asString());
        assertThat(web().findElement(By.id("selectedReason")).getText()).isEqualTo(run.at("/result/reason").asString());
        List<String> apiIds = new ArrayList<>();
        collect(trace.get("candidates"), apiIds);
        List<String> drawn = web().findElements(By.cssSelector("svg#tree a[data-node]")).stream()
                .map(e -> e.getAttribute("data-node")).toList();
        assertThat(drawn).isNotEmpty().isSubsetOf(apiIds);
        if (apiIds.size() <= 400) {
            assertThat(drawn).containsExactlyInAnyOrderElementsOf(apiIds);
        }
        String selected = trace.get("selectedCandidateId").asString();
        WebElement selectedNode = web().findElement(By.cssSelector("svg#tree a[data-node='" + selected + "']"));
        assertThat(selectedNode.findElement(By.tagName("circle")).getAttribute("class")).contains("selected");
        // by keyboard: focus the selected node and press Enter; its entry opens with the text the API has
        selectedNode.sendKeys(org.openqa.selenium.Keys.ENTER);
        WebElement entry = web().findElement(By.id("node-" + selected));
        await().atMost(Duration.ofSeconds(5)).until(() -> entry.findElement(By.tagName("details")).getAttribute("open") != null);
        assertThat(entry.findElement(By.cssSelector("pre.text")).getText().strip())
                .isEqualTo(run.at("/result/text").asString().strip());
        assertThat(web().findElements(By.cssSelector("svg#timeline g.step"))).isNotEmpty();
        browser.screenshot("run-particle-filter");
        browser.size(1400, 2200);
        web().get(url("/ui/runs/" + id)); // from the top: the README's screenshot (docs/images/dashboard-run.png)
        browser.screenshot("dashboard-run");
        browser.size(1400, 1000);

        web().get(url("/ui/runs?strategy=particle_filter"));
        assertThat(web().findElements(By.cssSelector("tr[data-run='" + id + "']"))).hasSize(1);
        web().get(url("/ui/runs"));
        assertThat(web().findElements(By.cssSelector("#runs tbody tr")).size()).isGreaterThanOrEqualTo(4);
        browser.screenshot("runs");
        web().get(url("/ui"));
        new WebDriverWait(web(), Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector("canvas[data-drawn]")).isEmpty());
        browser.screenshot("overview");
        browser.size(400, 900);
        web().get(url("/ui/runs/" + id));
        browser.screenshot("run-narrow");
        browser.size(1400, 1000);
    }

    @Test
    @Order(3)
    void candidateAndPromptTextIsShownAsTextNeverRun() throws Exception {
        signIn(platform().adminKey());
        String id = startRun("{\"strategy\": \"best_of_n\", \"n\": 2}",
                "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\"> What is 2 + 2?", "4", 7);
        web().get(url("/ui/runs/" + id));
        assertThat(js("return typeof window.__xss;")).isEqualTo("undefined");
        assertThat(web().findElement(By.cssSelector(".summary")).getText()).contains("<script>window.__xss = 1</script>");
        assertThat(web().findElements(By.cssSelector(".summary script, .summary img"))).isEmpty();
    }

    @Test
    @Order(4)
    void aTenantsKeyIsRefusedAnotherTenantsRun() throws Exception {
        String admin = platform().adminKey();
        String theirs = startRun("{\"strategy\": \"best_of_n\", \"n\": 2}", "What is 3 + 4?", "7", 9);
        HttpResponse<String> experiment = api("POST", "/v1/experiments", """
                {"name": "theirs-only experiment", "dataset": {"suite": "sim-math", "limit": 1}, "seeds": [1],
                 "pipelines": [{"name": "theirs-arm", "pipeline": {"strategy": "best_of_n", "n": 1,
                                                                 "model": "sim-math", "maxTokens": 128}}]}""", admin);
        assertThat(experiment.statusCode()).as(experiment.body()).isEqualTo(202);
        String theirExperiment = JSON.readTree(experiment.body()).get("id").asString();
        api("POST", "/v1/tenants", "{\"id\": \"dash-other\", \"name\": \"Another tenant\"}", admin);
        // experiments too: refused as not found, not merely for want of the scope
        JsonNode key = JSON.readTree(api("POST", "/v1/tenants/dash-other/keys",
                "{\"name\": \"browser\", \"scopes\": [\"runs\", \"experiments\", \"admin\"]}", admin).body());
        String token = key.get("key").asString();
        assertThat(api("GET", "/v1/runs/" + theirs, null, token).statusCode()).isEqualTo(404);
        assertThat(api("GET", "/v1/experiments/" + theirExperiment, null, token).statusCode()).isEqualTo(404);
        signIn(token);
        web().get(url("/ui/runs/" + theirs));
        assertThat(web().findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
        assertThat(web().getPageSource()).doesNotContain("What is 3 + 4?");
        web().get(url("/ui/runs"));
        assertThat(web().findElements(By.cssSelector("tr[data-run='" + theirs + "']"))).isEmpty();
        web().get(url("/ui/experiments/" + theirExperiment));
        assertThat(web().findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
        assertThat(web().getPageSource()).doesNotContain("theirs-only experiment").doesNotContain("theirs-arm");
        web().get(url("/ui/experiments"));
        assertThat(web().findElements(By.cssSelector("tr[data-experiment='" + theirExperiment + "']"))).isEmpty();
        // a tenant admin cannot reach another tenant's keys by editing the URL
        assertThat(api("GET", "/v1/tenants/default/keys", null, token).statusCode()).isEqualTo(404);
        browser.screenshot("tenant-refused");
    }

    @Test
    @Order(5)
    void anOperatorMakesATenantAndAKeyThatWorksUntilItIsRevoked() throws Exception {
        signIn(platform().adminKey());
        web().get(url("/ui/tenants"));
        web().findElement(By.name("id")).sendKeys("dash-keys");
        web().findElement(By.name("name")).sendKeys("Keys made in the browser");
        web().findElement(By.cssSelector("form[aria-label='Create a tenant'] button")).click();
        new WebDriverWait(web(), Duration.ofSeconds(20)).until(d -> d.findElement(By.id("notice")).getText()
                .contains("dash-keys"));
        web().findElement(By.id("keyName")).sendKeys("made-in-browser");
        web().findElement(By.id("makeKey")).click();
        String token = new WebDriverWait(web(), Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("newKeyToken"))).getText().strip();
        assertThat(token).startsWith("vg_");
        browser.screenshot("key-made");
        JsonNode me = JSON.readTree(api("GET", "/v1/whoami", null, token).body());
        assertThat(me.get("tenant").asString()).isEqualTo("dash-keys");
        String keyId = token.substring(3, 15);
        // the token is shown once: reloading the page shows the key, never its token
        web().get(url("/ui/tenants?tenant=dash-keys"));
        assertThat(web().getPageSource()).contains(keyId).doesNotContain(token);
        web().findElement(By.cssSelector("tr[data-key='" + keyId + "'] button")).click();
        new WebDriverWait(web(), Duration.ofSeconds(20)).until(d -> d.findElement(By.id("notice")).getText()
                .contains("revoked"));
        assertThat(api("GET", "/v1/whoami", null, token).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(6)
    void anExperimentIsStartedFromJsonAndItsPlotsAndCsvAreShown() throws Exception {
        signIn(platform().adminKey());
        web().get(url("/ui/experiments"));
        WebElement json = web().findElement(By.id("experimentJson"));
        json.clear();
        json.sendKeys("""
                {"name": "dashboard plot", "dataset": {"suite": "sim-math", "limit": 3},
                 "pipelines": [
                   {"name": "bon-4", "pipeline": {"strategy": "best_of_n", "n": 4, "model": "sim-math", "rewardModel": "sim-orm", "maxTokens": 128}},
                   {"name": "maj-4", "pipeline": {"strategy": "self_consistency", "n": 4, "model": "sim-math", "maxTokens": 128}}],
                 "budgets": [{"name": "1k", "maxTokens": 1000}, {"name": "4k", "maxTokens": 4000}],
                 "seeds": [1], "concurrency": 8}""");
        web().findElement(By.id("createFromJson")).click();
        new WebDriverWait(web(), Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().matches(".*/ui/experiments/[0-9a-f-]{36}$"));
        new WebDriverWait(web(), Duration.ofSeconds(240)).pollingEvery(Duration.ofSeconds(1))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> "SUCCEEDED".equals(d.findElement(By.id("experimentStatus")).getText()));
        web().navigate().refresh();
        new WebDriverWait(web(), Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("accuracyChart")).getAttribute("data-drawn") != null);
        assertThat(web().findElements(By.cssSelector("canvas[data-drawn]")).size()).isGreaterThanOrEqualTo(3);
        assertThat(web().findElements(By.cssSelector("#results tbody tr"))).hasSize(4);
        browser.screenshot("experiment");
        String cookie = "VERIGEN_UI=" + web().manage().getCookieNamed("VERIGEN_UI").getValue();
        String csvPath = new URI(web().findElement(By.id("csvDownload")).getAttribute("href")).getPath();
        HttpResponse<String> csv = http.send(HttpRequest.newBuilder(URI.create(url(csvPath))).header("Cookie", cookie)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body().lines().count()).isGreaterThan(4);
    }

    @Test
    @Order(7)
    void onANarrowScreenByKeyboardAndWithAScreenReader() throws Exception {
        // a prompt with one long token (as a URL or a SQL answer would be): the run page must wrap it, not widen
        String token = "ref:" + "x".repeat(120);
        String id = startRun("{\"strategy\": \"self_consistency\", \"n\": 4}", "What is 37 + 48? " + token, "85",
                13);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> !"RUNNING".equals(
                JSON.readTree(api("GET", "/v1/runs/" + id, null, platform().adminKey()).body()).get("status").asString()));
        browser.size(400, 900);
        try {
            web().manage().deleteAllCookies();
            web().get(url("/ui/login"));
            assertEveryControlIsNamed("/ui/login");
            // by keyboard alone: Tab to the key field, type, Tab to the button, Enter
            tabTo(By.id("apiKey"));
            new Actions(web()).sendKeys(platform().adminKey()).perform();
            tabTo(By.cssSelector("form button[type=submit]"));
            new Actions(web()).sendKeys(Keys.ENTER).perform();
            new WebDriverWait(web(), Duration.ofSeconds(20)).until(d -> !d.getCurrentUrl().contains("/ui/login"));
            assertThat(web().findElements(By.cssSelector("form[action='/ui/logout'] button"))).as("signed in")
                    .hasSize(1);

            for (String path : List.of("/ui", "/ui/runs", "/ui/runs/" + id)) {
                web().get(url(path));
                if (path.equals("/ui")) {
                    // the charts take their width once drawn: measure after that
                    new WebDriverWait(web(), Duration.ofSeconds(20))
                            .until(d -> !d.findElements(By.cssSelector("canvas[data-drawn]")).isEmpty());
                }
                long inner = ((Number) js("return window.innerWidth;")).longValue();
                long scroll = ((Number) js("return document.documentElement.scrollWidth;")).longValue();
                assertThat(inner).as("the window is narrow").isLessThanOrEqualTo(420);
                assertThat(scroll).as(path + ": the page's width in a " + inner + " px window")
                        .isLessThanOrEqualTo(inner + 1);
                assertEveryControlIsNamed(path);
            }
            assertThat(web().findElement(By.cssSelector(".summary .text")).getDomProperty("textContent"))
                    .contains(token);
            WebElement tree = web().findElement(By.cssSelector("svg#tree"));
            assertThat(tree.getAttribute("role")).isNotBlank();
            assertThat(tree.getAttribute("aria-label")).startsWith("search tree of");
            assertThat(tree.getAccessibleName()).startsWith("search tree of");
            browser.screenshot("run-narrow-long-prompt");
            for (String path : List.of("/ui/experiments", "/ui/tenants", "/ui/verifiers")) {
                web().get(url(path));
                assertEveryControlIsNamed(path);
            }
        } finally {
            browser.size(1400, 1000);
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /** Every control on the current page has a name as the browser computes it for a screen reader. */
    private void assertEveryControlIsNamed(String path) {
        List<WebElement> controls = web().findElements(
                By.cssSelector("input:not([type=hidden]), select, textarea, button"));
        assertThat(controls).as(path + ": form controls").isNotEmpty();
        List<String> unnamed = controls.stream().filter(c -> c.getAccessibleName() == null
                || c.getAccessibleName().isBlank()).map(c -> c.getAttribute("outerHTML")).toList();
        assertThat(unnamed).as(path + ": controls without an accessible name").isEmpty();
    }

    /** Presses Tab until {@code target} has the focus (at most 15 times); fails if it never does. */
    private void tabTo(By target) {
        WebElement wanted = web().findElement(target);
        for (int i = 0; i < 15; i++) {
            new Actions(web()).sendKeys(Keys.TAB).perform();
            if (wanted.equals(web().switchTo().activeElement())) {
                return;
            }
        }
        throw new AssertionError("Tab never reached " + target + " on " + web().getCurrentUrl());
    }

    private Object js(String script) {
        return ((JavascriptExecutor) web()).executeScript(script);
    }

    private static void collect(JsonNode candidates, List<String> ids) {
        for (JsonNode c : candidates) {
            ids.add(c.get("id").asString());
            collect(c.get("children"), ids);
        }
    }

    /** Signs the browser in through the form (a fresh session). */
    void signIn(String key) {
        web().manage().deleteAllCookies();
        web().get(url("/ui/login"));
        web().findElement(By.id("apiKey")).sendKeys(key);
        web().findElement(By.cssSelector("form button[type=submit]")).click();
        new WebDriverWait(web(), Duration.ofSeconds(20)).until(d -> !d.getCurrentUrl().contains("/ui/login"));
    }

    private String signInOverHttp(String key) throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(url("/ui/login"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        var m = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login.body());
        assertThat(m.find()).isTrue();
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(url("/ui/login")))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + m.group(1) + "&apiKey="
                        + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(303);
        return ok.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    String startRun(String pipeline, String prompt, String reference, int seed) throws Exception {
        Map<String, Object> spec = JSON.readValue(pipeline, Map.class);
        var p = new java.util.LinkedHashMap<String, Object>(spec);
        p.putIfAbsent("model", "sim-math");
        p.putIfAbsent("verifier", Map.of("type", "numeric"));
        p.putIfAbsent("maxTokens", 128);
        p.put("seed", seed);
        String body = JSON.writeValueAsString(Map.of("pipeline", p,
                "input", Map.of("prompt", prompt, "reference", reference), "budget", Map.of("maxTokens", 400000)));
        HttpResponse<String> created = api("POST", "/v1/runs", body, platform().adminKey());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        return JSON.readTree(created.body()).get("id").asString();
    }

    HttpResponse<String> api(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
