package dev.verigen.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a newcomer sees: best-of-N runs submitted through the gateway travel through every service and come back
 * with verified answers. Subclasses provide Kafka and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PlatformScenarios {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[][] QUESTIONS = {
            {"What is 37 + 48?", "85"}, {"What is 64 - 29?", "35"}, {"Compute 12 * 7.", "84"},
            {"What is 91 + 9?", "100"}, {"Calculate 56 - 18.", "38"}, {"What is 23 + 45?", "68"}};

    private final HttpClient http = HttpClient.newHttpClient();
    private Platform platform;
    private FakeOpenAiServer openAi;
    private OtlpReceiver spans;

    protected abstract void startInfrastructure() throws Exception;

    protected abstract String kafkaBootstrap();

    protected abstract String dbUrl();

    protected abstract String dbUser();

    protected abstract String dbPassword();

    /** Where sql_execution runs candidates: a database of the test's own, never the shared default. */
    protected abstract String sqlSandboxUrl();

    protected abstract void stopInfrastructure();

    @BeforeAll
    void startPlatform() throws Exception {
        startInfrastructure();
        openAi = new FakeOpenAiServer();
        spans = new OtlpReceiver();
        platform = new Platform(kafkaBootstrap(), dbUrl(), dbUser(), dbPassword(), sqlSandboxUrl(), openAi.baseUrl(),
                spans.endpoint());
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        if (openAi != null) {
            openAi.close();
        }
        if (spans != null) {
            spans.close();
        }
        stopInfrastructure();
    }

    static String body(String prompt, String reference, int seed) {
        return """
                {"pipeline": {"strategy": "best_of_n", "n": 8, "model": "sim-math", "verifier": {"type": "numeric"},
                              "rewardModel": "sim-orm", "maxTokens": 128, "seed": %d},
                 "input": {"prompt": "%s", "reference": "%s"},
                 "budget": {"maxTokens": 20000, "maxCalls": 64}}""".formatted(seed, prompt, reference);
    }

    @Test
    void bestOfNRunsThroughEveryServiceSelectTheVerifiedAnswers() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < QUESTIONS.length; i++) {
            HttpResponse<String> response = post(body(QUESTIONS[i][0], QUESTIONS[i][1], 100 + i), null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            ids.add(JSON.readTree(response.body()).get("id").stringValue());
        }
        int verified = 0;
        for (int i = 0; i < ids.size(); i++) {
            JsonNode run = awaitFinished(ids.get(i));
            String reference = QUESTIONS[i][1];
            assertThat(run.get("status").stringValue()).as(run.toString()).isEqualTo("SUCCEEDED");
            JsonNode candidates = run.get("candidates");
            assertThat(candidates).hasSize(8);
            for (JsonNode c : candidates) {
                assertThat(c.get("verdict").stringValue()).isIn("PASS", "FAIL", "ERROR");
                assertThat(c.get("score").isNumber()).as("every candidate is scored: %s", c).isTrue();
                assertThat(c.get("backend").stringValue()).isEqualTo("sim");
                assertThat(c.get("simulated").booleanValue()).isTrue();
                // the verifier's verdict agrees with the reference
                boolean matches = reference.equals(c.get("extracted").asString(""));
                assertThat(c.get("verdict").stringValue()).isEqualTo(matches ? "PASS" : "FAIL");
            }
            boolean anyPass = candidates.findValuesAsString("verdict").contains("PASS");
            if (anyPass) {
                verified++;
                assertThat(run.at("/result/verdict").stringValue()).isEqualTo("PASS");
                assertThat(run.at("/result/extracted").stringValue()).isEqualTo(reference);
            }
            assertThat(run.at("/usage/completionTokens").asLong()).isPositive();
            assertThat(run.at("/usage/calls").asLong()).isEqualTo(16); // 8 samples + 8 reward-model calls
            assertThat(run.at("/budget/reservedTokens").asLong()).isZero();
            assertThat(run.at("/budget/usedCalls").asLong()).isEqualTo(16);
        }
        assertThat(verified).as("runs with a verified answer").isGreaterThanOrEqualTo(4);
        assertThat(count("select count(*) from candidates")).isGreaterThanOrEqualTo(48);
    }

    @Test
    void theRealArithModelAnswersThroughLlamaCppAndTheVerifierPicksTheRightSample() throws Exception {
        String[][] questions = {{"40 + 96", "136"}, {"17 + 58", "75"}, {"83 - 29", "54"}, {"64 + 27", "91"},
                {"35 + 49", "84"}};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < questions.length; i++) {
            String body = """
                    {"pipeline": {"strategy": "best_of_n", "n": 8, "model": "arith-tiny", "verifier": "numeric",
                                  "temperature": 0.8, "maxTokens": 8, "seed": %d},
                     "input": {"prompt": "What is %s? Answer with just the number.", "reference": "%s"}}"""
                    .formatted(i + 1, questions[i][0], questions[i][1]);
            HttpResponse<String> response = post(body, null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            ids.add(JSON.readTree(response.body()).get("id").stringValue());
        }
        int verified = 0;
        for (int i = 0; i < ids.size(); i++) {
            JsonNode run = awaitFinished(ids.get(i));
            assertThat(run.get("status").stringValue()).as(run.toString()).isEqualTo("SUCCEEDED");
            JsonNode candidates = run.get("candidates");
            assertThat(candidates).hasSize(8);
            for (JsonNode c : candidates) {
                assertThat(c.get("backend").stringValue()).isEqualTo("llamacpp");
                assertThat(c.get("simulated").booleanValue()).isFalse();
                assertThat(c.get("text").stringValue()).doesNotContain("\n");
                boolean matches = questions[i][1].equals(c.get("extracted").asString(""));
                assertThat(c.get("verdict").stringValue()).isEqualTo(matches ? "PASS" : "FAIL");
            }
            if (run.at("/result/verdict").asString("").equals("PASS")) {
                verified++;
                assertThat(run.at("/result/extracted").stringValue()).isEqualTo(questions[i][1]);
            }
        }
        // pass@8 of arith-tiny is about 0.9 on such questions
        assertThat(verified).as("questions with a verified answer").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aPoolOnAnOpenAiCompatibleServerIsServedByConfigurationAlone() throws Exception {
        String body = """
                {"pipeline": {"strategy": "best_of_n", "n": 4, "model": "%s", "verifier": "numeric", "maxTokens": 32},
                 "input": {"prompt": "What is 21 + 21?", "reference": "42"}}""".formatted(Platform.OPENAI_POOL);
        HttpResponse<String> response = post(body, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode run = awaitFinished(JSON.readTree(response.body()).get("id").stringValue());
        assertThat(run.get("status").stringValue()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.at("/result/verdict").stringValue()).isEqualTo("PASS");
        assertThat(run.at("/result/extracted").stringValue()).isEqualTo("42");
        assertThat(run.get("candidates").findValuesAsString("backend")).containsOnly("openai");
        assertThat(run.get("candidates").findValuesAsString("verdict")).containsExactly("PASS", "FAIL", "PASS", "FAIL");
        // usage is what the server reported, not an estimate
        assertThat(run.at("/usage/promptTokens").asLong()).isEqualTo(21);
        assertThat(run.at("/usage/completionTokens").asLong()).isEqualTo(36);
        assertThat(openAi.authorizations).containsExactly("Bearer " + Platform.OPENAI_KEY);
        assertThat(platform.log("gpu-worker-openai")).doesNotContain(Platform.OPENAI_KEY);
    }

    @Test
    void everyVerifierAndRewardModelKindRunsThroughThePlatform() throws Exception {
        String pool = Platform.OPENAI_POOL;
        String[][] cases = {
                // verifier, reward model, prompt, reference
                {"{\"type\": \"sql_execution\", \"schema\": \"shop\"}", Platform.RERANKER,
                        "Write SQL: how many customers are there?", "SELECT count(*) FROM customers"},
                {"{\"type\": \"code_tests\", \"language\": \"python\", \"tests\": \"def test_add():\\n    assert add(2, 3) == 5\\n\"}",
                        Platform.RERANKER + ":pairwise", "Write a Python function add(a, b).", "-"},
                {"{\"type\": \"composite\", \"mode\": \"all\", \"verifiers\": [\"numeric\", {\"type\": \"exact\"}]}",
                        "sim-prm", "What is 20 + 22?", "42"},
                {"\"exact\"", "sim-orm:pairwise", "What is 30 + 12?", "42"},
                {"\"numeric\"", "sim-prm:mean", "What is 40 + 2?", "42"},
                {"\"numeric\"", Platform.OUTCOME_RM, "What is 41 + 1?", "42"},
                {"{\"type\": \"regex\", \"pattern\": \"Answer: 42$\"}", "sim-orm", "What is 22 + 20?", "-"},
                {"{\"type\": \"json_schema\", \"schema\": {\"type\": \"object\", \"required\": [\"answer\"],"
                        + " \"properties\": {\"answer\": {\"type\": \"integer\"}}}}", "sim-orm",
                        "Give JSON: what is 40 + 2?", "-"},
                {"\"math\"", "sim-orm", "What is 21 + 21?", "\\\\frac{84}{2}"},
                {"\"numeric\"", Platform.PROCESS_RM + ":min", "What is 39 + 3?", "42"}};
        List<String> ids = new ArrayList<>();
        for (String[] c : cases) {
            String body = """
                    {"pipeline": {"strategy": "best_of_n", "n": 4, "model": "%s", "verifier": %s, "rewardModel": "%s"},
                     "input": {"prompt": "%s", "reference": "%s"}}""".formatted(pool, c[0], c[1], c[2], c[3]);
            HttpResponse<String> response = post(body, null);
            assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(202);
            ids.add(JSON.readTree(response.body()).get("id").stringValue());
        }
        for (int i = 0; i < ids.size(); i++) {
            JsonNode run = awaitFinished(ids.get(i));
            assertThat(run.get("status").stringValue()).as(run.toString()).isEqualTo("SUCCEEDED");
            assertThat(run.get("candidates").findValuesAsString("verdict")).as(cases[i][0] + ": " + run)
                    .containsExactly("PASS", "FAIL", "PASS", "FAIL");
            for (JsonNode c : run.get("candidates")) {
                assertThat(c.get("score").isNumber()).as("scored by %s: %s", cases[i][1], c).isTrue();
            }
            assertThat(run.at("/result/verdict").stringValue()).isEqualTo("PASS");
        }
    }

    @Test
    void modelBackedScorersJudgeAndScoreThroughThePlatformAndTheirComputeIsBudgeted() throws Exception {
        String judged = """
                {"pipeline": {"strategy": "best_of_n", "n": 4, "model": "sim-math", "verifier": "numeric",
                              "rewardModel": "judge:sim-math:k=3", "seed": 5},
                 "input": {"prompt": "What is 12 * 13?", "reference": "156"},
                 "budget": {"maxTokens": 200000, "maxCalls": 64}}""";
        String likely = """
                {"pipeline": {"strategy": "best_of_n", "n": 8, "model": "arith-tiny", "verifier": "numeric",
                              "rewardModel": "likelihood:arith-tiny", "maxTokens": 8, "seed": 5},
                 "input": {"prompt": "What is 40 + 96? Answer with just the number.", "reference": "136"}}""";
        String judgeId = JSON.readTree(post(judged, null).body()).get("id").stringValue();
        String likelyId = JSON.readTree(post(likely, null).body()).get("id").stringValue();

        JsonNode judgeRun = awaitFinished(judgeId);
        assertThat(judgeRun.get("status").stringValue()).as(judgeRun.toString()).isEqualTo("SUCCEEDED");
        for (JsonNode c : judgeRun.get("candidates")) {
            // the share of 3 judge samples that said "correct"
            assertThat(c.get("score").asDouble()).as(c.toString()).isIn(0.0, 1.0 / 3, 2.0 / 3, 1.0);
        }
        // 4 samples + 3 judge samples for each of the 4 candidates, all booked against the run
        assertThat(judgeRun.at("/usage/calls").asLong()).isEqualTo(16);
        assertThat(judgeRun.at("/budget/usedCalls").asLong()).isEqualTo(16);
        assertThat(judgeRun.at("/budget/reservedCalls").asLong()).isZero();

        JsonNode likelyRun = awaitFinished(likelyId);
        assertThat(likelyRun.get("status").stringValue()).as(likelyRun.toString()).isEqualTo("SUCCEEDED");
        for (JsonNode c : likelyRun.get("candidates")) {
            // exp(mean token log-probability) under the real model
            assertThat(c.get("score").asDouble()).as(c.toString()).isGreaterThan(0).isLessThanOrEqualTo(1);
        }
        assertThat(likelyRun.at("/usage/calls").asLong()).isEqualTo(16);
    }

    @Test
    void aRepeatedIdempotencyKeyCreatesNoSecondRun() throws Exception {
        String key = "e2e-" + UUID.randomUUID();
        String body = body("What is 10 + 15?", "25", 7);
        String first = JSON.readTree(post(body, key).body()).get("id").stringValue();
        HttpResponse<String> again = post(body, key);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).get("id").stringValue()).isEqualTo(first);
        assertThat(count("select count(*) from runs where idempotency_key = '" + key + "'")).isEqualTo(1);
        assertThat(awaitFinished(first).get("status").stringValue()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anInvalidSpecIsRefusedAtTheGatewayWithTheFieldNamed() throws Exception {
        long before = count("select count(*) from runs");
        HttpResponse<String> response = post(body("What is 1 + 1?", "2", 1).replace("\"sim-math\"", "\"no-such-pool\""), null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(JSON.readTree(response.body()).get("field").stringValue()).isEqualTo("pipeline.model");
        assertThat(count("select count(*) from runs")).isEqualTo(before);
    }

    @Test
    void keysScopesAndTenantsAreEnforcedAtTheFrontDoor() throws Exception {
        frontDoor().keysScopesAndTenantsIsolateData();
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfter() throws Exception {
        frontDoor().aKeyOverItsRateLimitGets429();
    }

    @Test
    void anUnmodifiedOpenAiClientGetsVerifierGuidedAnswersPlainAndStreamed() throws Exception {
        frontDoor().openAiClientGetsVerifierGuidedAnswers();
    }

    @Test
    void aStreamingClientThatHangsUpThroughTheGatewayCancelsItsRun() throws Exception {
        frontDoor().aStreamingClientThatHangsUpCancelsItsRun();
    }

    @Test
    void fuzzedRequestsThroughTheGatewayGetNoServerErrorAndChangeNothing() throws Exception {
        frontDoor().fuzzedRequestsGetNoServerErrorAndChangeNothing(dbUrl());
    }

    @Test
    void aRunIsOneTraceFromTheGatewayAcrossEveryKafkaHopAndItsLogsCarryIt() throws Exception {
        observability().aRunIsOneTraceAcrossEveryHop();
    }

    @Test
    void everyMetricTheDashboardsAndAlertRulesQueryIsExportedByARunningService() throws Exception {
        observability().everyMetricTheDashboardsAndAlertsQueryIsExported();
    }

    private Observability observability() {
        return new Observability(platform, spans, frontDoor(), kafkaBootstrap());
    }

    private FrontDoor frontDoor() {
        return new FrontDoor(platform, sql -> {
            try {
                return count(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aVerifierCanBeTriedThroughTheGatewayBeforeItGoesInAPipeline() throws Exception {
        HttpResponse<String> pass = postTo("/v1/verifications", """
                {"verifier": {"type": "numeric"}, "candidate": "37 + 48 = 85. The answer is 85", "reference": "85",
                 "prompt": "What is 37 + 48?"}""");
        assertThat(pass.statusCode()).as(pass.body()).isEqualTo(200);
        JsonNode verdict = JSON.readTree(pass.body());
        assertThat(verdict.get("outcome").stringValue()).isEqualTo("PASS");
        assertThat(verdict.get("extracted").stringValue()).isEqualTo("85");

        HttpResponse<String> unknown = postTo("/v1/verifications",
                "{\"verifier\": {\"type\": \"astrology\"}, \"candidate\": \"85\", \"reference\": \"85\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        JsonNode problem = JSON.readTree(unknown.body());
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:verigen:problem:invalid-request");
        assertThat(problem.get("field").stringValue()).isEqualTo("verifier.type");
        assertThat(problem.get("detail").stringValue()).contains("numeric");

        // the SQL sandbox runs in the test's own database: a right query passes, a destructive one fails harmlessly
        String sql = """
                {"verifier": {"type": "sql_execution", "schema": "shop"}, "candidate": %s,
                 "reference": "SELECT count(*) AS n FROM customers"}""";
        HttpResponse<String> right = postTo("/v1/verifications",
                sql.formatted("\"```sql\\nSELECT COUNT(*) FROM customers\\n```\""));
        assertThat(JSON.readTree(right.body()).get("outcome").stringValue()).as(right.body()).isEqualTo("PASS");
        HttpResponse<String> drop = postTo("/v1/verifications", sql.formatted("\"DROP TABLE customers\""));
        assertThat(JSON.readTree(drop.body()).get("outcome").stringValue()).as(drop.body()).isEqualTo("FAIL");
        HttpResponse<String> again = postTo("/v1/verifications",
                sql.formatted("\"SELECT count(*) FROM customers\""));
        assertThat(JSON.readTree(again.body()).get("outcome").stringValue()).as(again.body()).isEqualTo("PASS");
    }

    /**
     * Experiments through the gateway on three suites: text2sql answers are graded by execution and code answers by
     * their unit tests (verifier-svc's HTTP API), sim-math by number; verified selection never does worse than one
     * sample on the same items and seeds.
     */
    @Test
    void experimentsGradeEverySuiteThroughItsRealVerifier() throws Exception {
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String suite : List.of("text2sql", "code", "sim-math")) {
            String verifier = switch (suite) {
                case "text2sql" -> "sql_execution";
                case "code" -> "code_tests";
                default -> "numeric";
            };
            String body = """
                    {"name": "e2e %1$s", "dataset": {"suite": "%1$s", "limit": 6}, "concurrency": 8,
                     "pipelines": [
                       {"name": "single", "pipeline": {"strategy": "best_of_n", "n": 1, "model": "sim-math"}},
                       {"name": "verified-4", "pipeline": {"strategy": "best_of_n", "n": 4, "model": "sim-math",
                                                          "verifier": "%2$s"}}]}""".formatted(suite, verifier);
            HttpResponse<String> created = postTo("/v1/experiments", body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            ids.put(suite, JSON.readTree(created.body()).get("id").stringValue());
        }
        for (var entry : ids.entrySet()) {
            JsonNode done = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> JSON.readTree(get("/v1/experiments/" + entry.getValue()).body()),
                            e -> !e.get("status").stringValue().equals("RUNNING"));
            assertThat(done.get("status").stringValue()).as(done.toString()).isEqualTo("SUCCEEDED");
            JsonNode report = JSON.readTree(get("/v1/experiments/" + entry.getValue() + "/results").body())
                    .get("report");
            Map<String, JsonNode> arms = new java.util.HashMap<>();
            report.get("arms").forEach(a -> arms.put(a.get("arm").stringValue(), a));
            double single = arms.get("single").get("accuracy").doubleValue();
            double verified = arms.get("verified-4").get("accuracy").doubleValue();
            assertThat(arms.get("single").get("runs").intValue()).isEqualTo(6);
            // graded for real: some answers right, some wrong, across the suite's samples
            assertThat(arms.get("verified-4").get("passAtK").get(0).get("value").doubleValue())
                    .as(entry.getKey()).isBetween(0.01, 0.99);
            assertThat(verified).as(entry.getKey()).isGreaterThanOrEqualTo(single);
            // the oracle verifier agrees with the grader on every sample
            assertThat(arms.get("verified-4").get("verifier").get("falsePositives").longValue()).isZero();
            assertThat(arms.get("verified-4").get("verifier").get("falseNegatives").longValue()).isZero();
            String csv = get("/v1/experiments/" + entry.getValue() + "/results.csv").body();
            assertThat(csv.lines().count()).isEqualTo(3);
        }
    }

    /**
     * compute_optimal buying verifications through every service: a first experiment's uniform arms teach the
     * allocator its curves (majority votes, and four solutions each judged four times by reward-model-svc's judge on
     * the engine); a second experiment's compute_optimal arm, allowed one solution for the vote and the verifying arm,
     * buys verifying runs whose pipelines name the judge. A bad verifying arm is refused, the field named.
     */
    @Test
    void computeOptimalBuysJudgeVerificationsAsWellAsSolutions() throws Exception {
        String allocation = """
                {"name": "co", "pipeline": {"strategy": "compute_optimal", "model": "sim-math",
                  "options": {"pilotSamples": 1, "maxSamples": 1, "bins": 1, "settleConfidence": 1, "sampleMaxTokens": 128,
                              "strategies": [{"name": "vote", "strategy": "self_consistency"},
                                             {"name": "genrm", "strategy": "best_of_n", "n": 4, "verifications": %s,
                                              "maxTokens": 20000}]}}}""";
        HttpResponse<String> refused = postTo("/v1/experiments", """
                {"name": "e2e bad verify", "dataset": {"suite": "sim-math", "limit": 2},
                 "pipelines": [%s], "budgets": [{"name": "b", "maxTokens": 25000}]}""".formatted(allocation.formatted("99")));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("pipelines[0].pipeline.options.strategies[1].verifications");

        String teach = """
                {"name": "e2e solve or verify: teach", "dataset": {"suite": "sim-math", "limit": 12}, "concurrency": 8,
                 "pipelines": [
                   {"name": "sc-16", "pipeline": {"strategy": "self_consistency", "n": 16, "model": "sim-math"}},
                   {"name": "genrm", "pipeline": {"strategy": "best_of_n", "n": 4, "model": "sim-math",
                                                  "rewardModel": "judge:sim-math:k=4"}},
                   %s],
                 "budgets": [{"name": "b", "maxTokens": 25000}]}""".formatted(allocation.formatted("4"));
        String first = JSON.readTree(postTo("/v1/experiments", teach).body()).get("id").stringValue();
        JsonNode taught = awaitExperiment(first);
        assertThat(taught.get("status").stringValue()).as(taught.toString()).isEqualTo("SUCCEEDED");

        String buy = """
                {"name": "e2e solve or verify: buy", "dataset": {"suite": "sim-math", "limit": 12}, "concurrency": 8,
                 "pipelines": [%s], "budgets": [{"name": "b", "maxTokens": 25000}]}""".formatted(allocation.formatted("4"));
        String second = JSON.readTree(postTo("/v1/experiments", buy).body()).get("id").stringValue();
        JsonNode bought = awaitExperiment(second);
        assertThat(bought.get("status").stringValue()).as(bought.toString()).isEqualTo("SUCCEEDED");
        List<JsonNode> purchases = new java.util.ArrayList<>();
        JSON.readTree(get("/v1/experiments/" + second + "/runs").body()).forEach(purchases::add);
        List<JsonNode> verifying = new java.util.ArrayList<>();
        for (JsonNode cell : purchases) {
            if (!cell.get("tag").stringValue().equals("r0")) {
                JsonNode run = JSON.readTree(get("/v1/runs/" + cell.get("run").stringValue()).body());
                verifying.add(run);
            }
        }
        assertThat(verifying).as("runs bought after the pilots: %s", purchases).isNotEmpty().allSatisfy(run -> {
            assertThat(run.at("/pipeline/strategy").stringValue()).isEqualTo("best_of_n");
            assertThat(run.at("/pipeline/n").intValue()).isEqualTo(4);
            assertThat(run.at("/pipeline/rewardModel").stringValue()).isEqualTo("judge:sim-math:k=4");
            assertThat(run.get("status").stringValue()).isEqualTo("SUCCEEDED");
        });
        JsonNode report = JSON.readTree(get("/v1/experiments/" + second + "/results").body()).get("report");
        assertThat(report.get("arms").get(0).get("runs").intValue()).isEqualTo(12);
    }

    private JsonNode awaitExperiment(String id) {
        return await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                .until(() -> JSON.readTree(get("/v1/experiments/" + id).body()),
                        e -> !e.get("status").stringValue().equals("RUNNING"));
    }

    private JsonNode awaitFinished(String id) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> JSON.readTree(get("/v1/runs/" + id).body()),
                        run -> run.has("status") && !run.get("status").stringValue().equals("RUNNING"));
    }

    private HttpResponse<String> post(String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/v1/runs"))
                .header("Authorization", "Bearer " + platform.adminKey()).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postTo(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .header("Authorization", "Bearer " + platform.adminKey()).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .header("Authorization", "Bearer " + platform.adminKey()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One pipeline per strategy, as the README shows them; verification is off so the strategy alone decides. */
    static final Map<String, String> STRATEGIES = new java.util.LinkedHashMap<>();

    static {
        STRATEGIES.put("best_of_n", """
                {"strategy": "best_of_n", "n": 8, "rewardModel": "sim-orm", "options": {"selection": "weighted"}}""");
        STRATEGIES.put("self_consistency", """
                {"strategy": "self_consistency", "n": 8, "options": {"temperatures": [0.5, 1.0],
                 "adaptive": {"batch": 4, "confidence": 0.95}}}""");
        STRATEGIES.put("first_finish", """
                {"strategy": "first_finish", "n": 4}""");
        STRATEGIES.put("beam_search", """
                {"strategy": "beam_search", "rewardModel": "sim-orm",
                 "options": {"beamWidth": 2, "expansions": 3, "lookahead": 1, "prm": "sim-prm:last"}}""");
        STRATEGIES.put("dvts", """
                {"strategy": "dvts", "options": {"beamWidth": 2, "expansions": 2, "prm": "sim-prm:last"}}""");
        STRATEGIES.put("particle_filter", """
                {"strategy": "particle_filter", "n": 6, "options": {"prm": "sim-prm:last"}}""");
        STRATEGIES.put("iad", """
                {"strategy": "iad", "n": 4, "rewardModel": "sim-orm", "options": {"maxRounds": 3, "critique": true}}""");
        // an ensemble over two models (the simulator and the real arith-tiny through llama.cpp), Archon's own format
        STRATEGIES.put("archon", """
                {"strategy": "archon", "rewardModel": "sim-orm", "options": {"config": {"name": "e2e", "layers": [
                  [{"type": "generator", "model": "sim-math", "samples": 4},
                   {"type": "generator", "model": "arith-tiny", "samples": 2}],
                  [{"type": "critic", "model": "sim-math"}],
                  [{"type": "ranker", "model": "sim-math", "top_k": 3}],
                  [{"type": "fuser", "model": "sim-math", "samples": 2}]]}}}""");
    }

    @Test
    void everyStrategyRunsEndToEndThroughAllServices() throws Exception {
        Map<String, List<String>> ids = new java.util.LinkedHashMap<>();
        int q = 0;
        for (var strategy : STRATEGIES.entrySet()) {
            for (int i = 0; i < 2; i++, q++) {
                String[] question = QUESTIONS[q % QUESTIONS.length];
                String pipeline = strategy.getValue().strip();
                String body = "{\"pipeline\": " + pipeline.substring(0, pipeline.length() - 1)
                        + ", \"model\": \"sim-math\", \"verifier\": null, \"maxTokens\": 128, \"seed\": " + (700 + q) + "}"
                        + ", \"input\": {\"prompt\": \"" + question[0] + "\", \"reference\": \"" + question[1] + "\"}"
                        + ", \"budget\": {\"maxTokens\": 200000}}";
                HttpResponse<String> response = post(body, null);
                assertThat(response.statusCode()).as(strategy.getKey() + ": " + response.body()).isEqualTo(202);
                ids.computeIfAbsent(strategy.getKey(), k -> new ArrayList<>())
                        .add(JSON.readTree(response.body()).get("id").stringValue());
            }
        }
        int correct = 0;
        int total = 0;
        q = 0;
        for (var entry : ids.entrySet()) {
            for (String id : entry.getValue()) {
                JsonNode run = awaitFinished(id);
                String reference = QUESTIONS[q++ % QUESTIONS.length][1];
                assertThat(run.get("status").stringValue()).as(entry.getKey() + ": " + run).isEqualTo("SUCCEEDED");
                assertThat(run.at("/pipeline/strategy").stringValue()).isEqualTo(entry.getKey());
                String text = run.at("/result/text").stringValue();
                assertThat(text).as(entry.getKey() + " answers with a complete solution").contains("Answer: ");
                assertThat(run.at("/budget/reservedTokens").asLong()).isZero();
                assertThat(run.at("/usage/completionTokens").asLong()).isPositive();
                total++;
                if (text.strip().endsWith("Answer: " + reference)) {
                    correct++;
                }
            }
        }
        assertThat(correct).as("correct answers over every strategy").isGreaterThanOrEqualTo(total * 6 / 10);
    }

    /** The mechanisms issue 18 added, each as a pipeline through every service, with what its trace must show. */
    static final Map<String, String> LITERATURE = new java.util.LinkedHashMap<>();

    static {
        LITERATURE.put("a_star", """
                {"strategy": "a_star", "options": {"expansions": 2, "prm": "sim-prm:last"}}""");
        // every sample reports its text every 4 tokens; the snapshots at 4 are scored and 3 of 4 samples are stopped
        LITERATURE.put("best_of_n pruned", """
                {"strategy": "best_of_n", "n": 4, "rewardModel": "sim-orm",
                 "options": {"temperatures": [0.6, 1.0], "prune": {"at": 4, "keep": 0.25, "scorer": "sim-prm:last"}}}""");
        LITERATURE.put("self_consistency adaptive abort", """
                {"strategy": "self_consistency", "n": 8, "options": {"adaptive": {"confidence": 0.9, "abort": true}}}""");
        LITERATURE.put("particle_filter look-ahead", """
                {"strategy": "particle_filter", "n": 3, "options": {"prm": "sim-prm:last", "lookahead": true}}""");
        // Archon's own form: a multi-branch layer, a layer written as one object, keys Archon's code never reads,
        // hosted model names mapped to the simulator by the request's model map
        LITERATURE.put("archon model map", """
                {"strategy": "archon", "options": {"modelMap": {"*": "sim-math"}, "config": {"name": "e2e-archon-form",
                 "layers": [
                  {"branches": 2, "models": [
                    {"type": "generator", "model": "gpt-4o", "samples": 3, "batch_num": 1},
                    {"type": "generator", "model": "Qwen/Qwen2-72B-Instruct", "samples": 2}]},
                  {"type": "ranker", "model": "gpt-4o", "top_k": 2, "length_contorl": false},
                  [{"type": "fuser", "model": "gpt-4o", "samples": 1}]]}}}""");
    }

    @Test
    void theLiteratureMechanismsRunThroughEveryService() throws Exception {
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        int q = 0;
        for (var entry : LITERATURE.entrySet()) {
            String[] question = QUESTIONS[q++ % QUESTIONS.length];
            String pipeline = entry.getValue().strip();
            String body = "{\"pipeline\": " + pipeline.substring(0, pipeline.length() - 1)
                    + ", \"model\": \"sim-math\", \"verifier\": null, \"maxTokens\": 128, \"seed\": " + (900 + q) + "}"
                    + ", \"input\": {\"prompt\": \"" + question[0] + "\", \"reference\": \"" + question[1] + "\"}"
                    + ", \"budget\": {\"maxTokens\": 200000}}";
            HttpResponse<String> response = post(body, null);
            assertThat(response.statusCode()).as(entry.getKey() + ": " + response.body()).isEqualTo(202);
            ids.put(entry.getKey(), JSON.readTree(response.body()).get("id").stringValue());
        }
        for (var entry : ids.entrySet()) {
            String id = entry.getValue();
            JsonNode run = awaitFinished(id);
            assertThat(run.get("status").stringValue()).as(entry.getKey() + ": " + run).isEqualTo("SUCCEEDED");
            assertThat(run.at("/result/text").stringValue()).as(entry.getKey()).contains("Answer: ");
            assertThat(run.at("/budget/reservedTokens").asLong()).as(entry.getKey()).isZero();
            assertThat(run.at("/usage/completionTokens").asLong()).as(entry.getKey()).isPositive();
            // every finished job billed once, stopped ones included
            assertThat(count("select count(*) from (select step_id from usage where step_id in (select id from steps "
                    + "where run_id = '" + id + "') group by step_id having count(*) > 1) d")).isZero();
        }
        assertThat(count("select count(*) from steps where run_id = '" + ids.get("a_star") + "' and label like 'x%/e%'"))
                .as("A* expanded its frontier a step at a time").isGreaterThanOrEqualTo(2);
        String pruned = ids.get("best_of_n pruned");
        String reason = awaitFinished(pruned).at("/result/reason").stringValue();
        long partials = count("select count(*) from candidates where run_id = '" + pruned
                + "' and finish_reason = 'partial'");
        // the samples decode for ~70 ms at the simulator's 1 ms/token: on a machine too loaded to hand every sample's
        // snapshot to the orchestrator (and score them) before the samples end, nothing is left to prune, and the run
        // must say so
        long checkpoints = count("select count(*) from steps where run_id = '" + pruned
                + "' and label = 'prune/checkpoint'");
        assertThat(partials).as("the workers streamed the samples' text mid-generation").isPositive();
        if (checkpoints == 0) {
            assertThat(reason).contains("every sample finished before its checkpoint at 4 tokens");
        } else {
            assertThat(checkpoints).isEqualTo(1);
            assertThat(reason).contains("pruned at 4 tokens by sim-prm:last");
        }
        assertThat(count("select count(*) from steps where run_id = '" + ids.get("particle_filter look-ahead")
                + "' and label like 'r%/la%'")).as("look-ahead rolled the new steps on").isPositive();
        assertThat(count("select count(*) from candidates where run_id = '" + ids.get("archon model map")
                + "' and pool = 'sim-math' and label like 'archon/L0/%'")).as("Archon's model names ran on the mapped pool")
                .isEqualTo(5);
    }

    /** Bodies of runs with several rounds of work each, so a crash lands in the middle of them. */
    static List<String> longRuns() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String pipeline = i % 2 == 0
                    ? "\"strategy\": \"best_of_n\", \"n\": 16, \"rewardModel\": \"sim-prm\""
                    : "\"strategy\": \"beam_search\", \"options\": {\"beamWidth\": 2, \"expansions\": 2, \"prm\": \"sim-prm:last\"}";
            bodies.add("""
                    {"pipeline": {%s, "model": "sim-math", "verifier": "numeric", "maxTokens": 128, "seed": %d},
                     "input": {"prompt": "Compute %d + 17 * 3 - 5 * 4 + 2.", "reference": "%d"},
                     "budget": {"maxTokens": 100000, "maxCalls": 400}}""".formatted(pipeline, 500 + i, 10 + i, 10 + i + 33));
        }
        return bodies;
    }

    @Test
    void killingTheOrchestratorMidRunLosesNothingAndSpendsNothingTwice() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String body : longRuns()) {
            HttpResponse<String> response = post(body, null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            ids.add(JSON.readTree(response.body()).get("id").stringValue());
        }
        platform.kill("orchestrator-svc");
        // what the crashed orchestrator had committed: it must all survive, unchanged
        Map<String, String> before = rows("select id::text, text from candidates where run_id in (" + quoted(ids) + ")");
        long running = count("select count(*) from runs where status = 'RUNNING' and id in (" + quoted(ids) + ")");
        assertThat(running).as("runs were still in progress when the orchestrator died").isPositive();

        platform.restart("orchestrator-svc");
        for (String id : ids) {
            JsonNode run = awaitFinished(id);
            assertThat(run.get("status").stringValue()).as(run.toString()).isEqualTo("SUCCEEDED");
            assertThat(run.at("/budget/reservedTokens").asLong()).isZero();
            assertThat(run.at("/budget/reservedCalls").asLong()).isZero();
        }
        Map<String, String> after = rows("select id::text, text from candidates where run_id in (" + quoted(ids) + ")");
        assertThat(after).containsAllEntriesOf(before);
        // every job's result was applied once: one usage row per step, and budgets hold exactly their sum
        assertThat(count("select count(*) from (select step_id from usage group by step_id having count(*) > 1) d"))
                .isZero();
        assertThat(count("""
                select count(*) from budgets b
                 where b.run_id in (%s)
                   and b.used_calls <> (select coalesce(sum(calls), 0) from usage u where u.run_id = b.run_id)"""
                .formatted(quoted(ids)))).isZero();
    }

    private static String quoted(List<String> ids) {
        return String.join(",", ids.stream().map(id -> "'" + id + "'").toList());
    }

    private Map<String, String> rows(String sql) throws SQLException {
        Map<String, String> out = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection(dbUrl(), dbUser(), dbPassword());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl(), dbUser(), dbPassword());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The admin dashboard in real headless Chromium (issue 14), against this platform. */
    @Nested
    class Dashboard extends DashboardScenarios {
        @Override
        Platform platform() {
            return platform;
        }
    }
}
