package dev.verigen.reward.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.reward.http.ReplayServer.Response;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.scoring.ScorerErrors;
import dev.verigen.reward.scoring.ScorerException;
import dev.verigen.reward.scoring.ScorerRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each HTTP backend against a local server replaying vLLM's and TEI's response shapes. */
class HttpBackendsTest {

    static JobMeta meta() {
        return new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "t", null, null);
    }

    static ScoringJob job(String scorer, String prompt, String... texts) {
        List<CandidateRef> cs = new ArrayList<>();
        for (String t : texts) {
            cs.add(new CandidateRef(UUID.randomUUID(), t));
        }
        return new ScoringJob(meta(), scorer, prompt, cs);
    }

    static Map<String, String> config(ReplayServer server, String type, String... more) {
        Map<String, String> p = new HashMap<>();
        p.put("scorers.rm.type", type);
        p.put("scorers.rm.base-url", server.url().toString());
        p.put("scorers.rm.model", "test/rm");
        p.put("resilience.retry.initial-backoff", "1ms");
        p.put("resilience.retry.jitter", "0");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    static Scorer scorer(ScorerRegistry registry, String name) {
        return registry.find(name).orElseThrow();
    }

    static double value(Scored scored, int i) {
        return scored.scores().get(i).value();
    }

    // ---- vllm-reward (outcome RM) ----------------------------------------------------------------------------------

    @Test
    void vllmPoolingScoresMapToTheirCandidatesByIndex() throws Exception {
        // vLLM /pooling, reward model with ALL pooling: one row per token, the last token's is the reward; out of order
        String body = """
                {"id":"pool-4f1c","object":"list","created":1763900000,"model":"test/rm",
                 "data":[{"index":1,"object":"pooling","data":[[0.1],[0.2],[-1.25]]},
                         {"index":0,"object":"pooling","data":[[0.3],[3.5]]}],
                 "usage":{"prompt_tokens":57,"total_tokens":57,"completion_tokens":0,"prompt_tokens_details":null}}""";
        try (var server = ReplayServer.sequence(Response.ok(body))) {
            var registry = ReplayServer.registry(config(server, "vllm-reward"));
            ScoringJob job = job("rm", "What is 6*7?", "6*7 = 42. Answer: 42", "Answer: 41");
            Scored scored = scorer(registry, "rm").score(job);

            assertThat(scored.scores()).extracting(Score::candidateId)
                    .containsExactly(job.candidates().get(0).candidateId(), job.candidates().get(1).candidateId());
            assertThat(value(scored, 0)).isEqualTo(3.5);
            assertThat(value(scored, 1)).isEqualTo(-1.25);
            assertThat(scored.usage().promptTokens()).isEqualTo(57);
            assertThat(scored.usage().calls()).isEqualTo(2);

            assertThat(server.requests()).hasSize(1); // all candidates in one request
            var request = server.requests().getFirst();
            assertThat(request.path()).isEqualTo("/pooling");
            JsonNode json = request.json();
            assertThat(json.path("model").asString()).isEqualTo("test/rm");
            assertThat(json.path("input").get(0).asString()).isEqualTo("What is 6*7?\n\n6*7 = 42. Answer: 42");
            assertThat(json.path("input").get(1).asString()).isEqualTo("What is 6*7?\n\nAnswer: 41");
            assertThat(request.body()).doesNotContain("secret-reference"); // real RMs never see the reference
            assertThat(request.authorization()).isNull();
        }
    }

    @Test
    void vllmClassifyReadsThePositiveClassAndSigmoidTransformsLogits() throws Exception {
        String classify = """
                {"id":"classify-77","object":"list","created":1763900000,"model":"test/rm",
                 "data":[{"index":0,"label":"LABEL_1","probs":[0.2,0.8],"num_classes":2},
                         {"index":1,"label":"LABEL_0","probs":[0.7,0.3],"num_classes":2}],
                 "usage":{"prompt_tokens":30,"total_tokens":30,"completion_tokens":0}}""";
        try (var server = ReplayServer.sequence(Response.ok(classify))) {
            var registry = ReplayServer.registry(config(server, "vllm-reward", "scorers.rm.endpoint", "classify",
                    "scorers.rm.template", "<|user|>{prompt}<|assistant|>{response}"));
            Scored scored = scorer(registry, "rm").score(job("rm", "Q", "a", "b"));
            assertThat(value(scored, 0)).isEqualTo(0.8);
            assertThat(value(scored, 1)).isEqualTo(0.3);
            assertThat(server.requests().getFirst().path()).isEqualTo("/classify");
            assertThat(server.requests().getFirst().json().path("input").get(0).asString())
                    .isEqualTo("<|user|>Q<|assistant|>a");
        }
        String pooledLogit = """
                {"id":"pool-1","object":"list","created":1,"model":"test/rm",
                 "data":[{"index":0,"object":"pooling","data":[0.0]},{"index":1,"object":"pooling","data":[2.0]}],
                 "usage":{"prompt_tokens":8,"total_tokens":8,"completion_tokens":0}}""";
        try (var server = ReplayServer.sequence(Response.ok(pooledLogit))) {
            var registry = ReplayServer.registry(config(server, "vllm-reward", "scorers.rm.transform", "sigmoid"));
            Scored scored = scorer(registry, "rm").score(job("rm", "Q", "a", "b"));
            assertThat(value(scored, 0)).isCloseTo(0.5, within(1e-12));
            assertThat(value(scored, 1)).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-12));
        }
    }

    @Test
    void vllmScoreEndpointSendsThePromptAsText1() throws Exception {
        String score = """
                {"id":"score-3","object":"list","created":1763900000,"model":"test/rm",
                 "data":[{"index":0,"object":"score","score":0.91},{"index":1,"object":"score","score":0.12}],
                 "usage":{"prompt_tokens":40,"total_tokens":40,"completion_tokens":0}}""";
        try (var server = ReplayServer.sequence(Response.ok(score))) {
            var registry = ReplayServer.registry(config(server, "vllm-reward", "scorers.rm.endpoint", "score",
                    "scorers.rm.path", "/v1/score"));
            Scored scored = scorer(registry, "rm").score(job("rm", "Q", "good", "bad"));
            assertThat(value(scored, 0)).isEqualTo(0.91);
            assertThat(value(scored, 1)).isEqualTo(0.12);
            var request = server.requests().getFirst();
            assertThat(request.path()).isEqualTo("/v1/score");
            assertThat(request.json().path("text_1").asString()).isEqualTo("Q");
            assertThat(request.json().path("text_2").get(1).asString()).isEqualTo("bad");
        }
    }

    @Test
    void aResultCountThatDoesNotMatchTheCandidatesIsMalformed() throws Exception {
        String one = """
                {"object":"list","data":[{"index":0,"object":"pooling","data":[1.0]}],"usage":{"prompt_tokens":3}}""";
        try (var server = ReplayServer.sequence(Response.ok(one))) {
            var registry = ReplayServer.registry(config(server, "vllm-reward", "resilience.retry.max-attempts", "1"));
            assertThatThrownBy(() -> scorer(registry, "rm").score(job("rm", "Q", "a", "b")))
                    .isInstanceOfSatisfying(ScorerException.class, e -> {
                        assertThat(e.code()).isEqualTo(ScorerErrors.MALFORMED_RESPONSE);
                        assertThat(e.getMessage()).contains("1 results for 2 candidates");
                    });
        }
    }

    // ---- vllm-pooling (process RM) ---------------------------------------------------------------------------------

    /** Qwen2.5-Math-PRM style STEP pooling: one softmaxed [p_neg, p_pos] row per step tag. */
    private static final String PRM_REPLY = """
            {"id":"pool-prm","object":"list","created":1763900000,"model":"Qwen/Qwen2.5-Math-PRM-7B",
             "data":[{"index":0,"object":"pooling","data":[[0.1,0.9],[0.5,0.5],[0.2,0.8]]},
                     {"index":1,"object":"pooling","data":[[0.4,0.6],[0.1,0.9]]}],
             "usage":{"prompt_tokens":120,"total_tokens":120,"completion_tokens":0}}""";

    @Test
    void prmSplitsStepsTagsThemAndAggregatesByEachRule() throws Exception {
        try (var server = new ReplayServer(r -> Response.ok(PRM_REPLY))) {
            var registry = ReplayServer.registry(config(server, "vllm-pooling", "scorers.rm.step-delimiter", "\\n\\n",
                    "scorers.rm.aggregation", "last"));
            ScoringJob job = job("rm", "What is 6*7+1?", "Step 1: 6*7 = 42\n\nStep 2: 42+1 = 43\n\n\n\nAnswer: 43\n",
                    "Step 1: 6*7 = 42\n\nAnswer: 42", "   ");

            // steps of candidate 0: 0.9, 0.5, 0.8; candidate 1: 0.6, 0.9; candidate 2 has none (not sent, scores 0)
            Scored last = scorer(registry, "rm").score(job);
            assertThat(last.scores()).extracting(Score::value).containsExactly(0.8, 0.9, 0.0);
            Scored min = scorer(registry, "rm:min").score(job);
            assertThat(min.scores()).extracting(Score::value).containsExactly(0.5, 0.6, 0.0);
            Scored product = scorer(registry, "rm:product").score(job);
            assertThat(value(product, 0)).isCloseTo(0.9 * 0.5 * 0.8, within(1e-12));
            assertThat(value(product, 1)).isCloseTo(0.6 * 0.9, within(1e-12));
            Scored mean = scorer(registry, "rm:mean").score(job);
            assertThat(value(mean, 0)).isCloseTo((0.9 + 0.5 + 0.8) / 3, within(1e-12));
            assertThat(value(mean, 1)).isCloseTo(0.75, within(1e-12));
            assertThat(value(scorer(registry, "rm:last").score(job), 0)).isEqualTo(0.8);
            assertThat(registry.find("rm:median")).isEmpty();

            var request = server.requests().getFirst();
            assertThat(request.path()).isEqualTo("/pooling");
            JsonNode input = request.json().path("input");
            assertThat(input).hasSize(2);
            assertThat(input.get(0).asString()).isEqualTo(
                    "What is 6*7+1?\n\nStep 1: 6*7 = 42<extra_0>Step 2: 42+1 = 43<extra_0>Answer: 43<extra_0>");
            assertThat(input.get(1).asString()).isEqualTo("What is 6*7+1?\n\nStep 1: 6*7 = 42<extra_0>Answer: 42<extra_0>");
            assertThat(last.usage().promptTokens()).isEqualTo(120);
            assertThat(last.usage().calls()).isEqualTo(2);
        }
    }

    @Test
    void prmDefaultAggregationIsMinAndStepCountMismatchIsMalformed() throws Exception {
        try (var server = new ReplayServer(r -> Response.ok(PRM_REPLY))) {
            var registry = ReplayServer.registry(config(server, "vllm-pooling", "scorers.rm.step-delimiter", "\\n",
                    "resilience.retry.max-attempts", "1"));
            // with "\n" as delimiter candidate 0 has 3 steps and candidate 1 two: matches the reply
            Scored min = scorer(registry, "rm").score(job("rm", "Q", "a\nb\nc", "d\ne"));
            assertThat(min.scores()).extracting(Score::value).containsExactly(0.5, 0.6);
            // candidate 1 with three steps where the server scored two
            assertThatThrownBy(() -> scorer(registry, "rm").score(job("rm", "Q", "a\nb\nc", "d\ne\nf")))
                    .isInstanceOfSatisfying(ScorerException.class, e -> {
                        assertThat(e.code()).isEqualTo(ScorerErrors.MALFORMED_RESPONSE);
                        assertThat(e.getMessage()).contains("2 step rewards for 3 steps");
                    });
        }
    }

    // ---- tei-rerank -------------------------------------------------------------------------------------------------

    /** A TEI /rerank answer for the given texts: [{index, score}] sorted by score, best first. */
    private static Response teiRerank(ReplayServer.Request request, Map<String, Double> scoreOf) {
        JsonNode texts = request.json().path("texts");
        List<int[]> order = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            order.add(new int[] {i});
        }
        order.sort(Comparator.comparingDouble((int[] i) -> -scoreOf.get(texts.get(i[0]).asString())));
        StringBuilder body = new StringBuilder("[");
        for (int[] i : order) {
            body.append(body.length() > 1 ? "," : "").append("{\"index\":").append(i[0]).append(",\"score\":")
                    .append(scoreOf.get(texts.get(i[0]).asString())).append('}');
        }
        return new Response(200, body.append(']').toString(), Map.of("x-compute-tokens", "33"));
    }

    private static final Map<String, Double> RERANK = Map.of("mid", 0.5, "worst", 0.01, "best", 0.98, "good", 0.8);

    @Test
    void teiRerankMapsSortedRankingsBackToCandidates() throws Exception {
        try (var server = new ReplayServer(r -> teiRerank(r, RERANK))) {
            var registry = ReplayServer.registry(config(server, "tei-rerank"));
            Scored scored = scorer(registry, "rm").score(job("rm", "What is 6*7?", "mid", "worst", "best"));
            assertThat(scored.scores()).extracting(Score::value).containsExactly(0.5, 0.01, 0.98);
            assertThat(scored.usage().promptTokens()).isEqualTo(33);
            assertThat(scored.usage().calls()).isEqualTo(3);
            var request = server.requests().getFirst();
            assertThat(server.requests()).hasSize(1);
            assertThat(request.path()).isEqualTo("/rerank");
            assertThat(request.json().path("query").asString()).isEqualTo("What is 6*7?");
            assertThat(request.json().path("raw_scores").asBoolean()).isFalse();
        }
    }

    @Test
    void vllmStyleRerankResultsAreReadToo() throws Exception {
        String body = """
                {"id":"rerank-1","model":"test/rm","usage":{"total_tokens":20},
                 "results":[{"index":1,"document":{"text":"b"},"relevance_score":0.9},
                            {"index":0,"document":{"text":"a"},"relevance_score":0.2}]}""";
        try (var server = ReplayServer.sequence(Response.ok(body))) {
            var registry = ReplayServer.registry(config(server, "tei-rerank", "scorers.rm.path", "/v1/rerank"));
            Scored scored = scorer(registry, "rm").score(job("rm", "Q", "a", "b"));
            assertThat(scored.scores()).extracting(Score::value).containsExactly(0.2, 0.9);
            assertThat(server.requests().getFirst().path()).isEqualTo("/v1/rerank");
        }
    }

    @Test
    void pairwiseRerankWinRatesFollowTheScores() throws Exception {
        try (var server = new ReplayServer(r -> teiRerank(r, RERANK))) {
            var registry = ReplayServer.registry(config(server, "tei-rerank", "scorers.rm.mode", "pairwise"));
            ScoringJob job = job("rm", "Q", "mid", "worst", "best", "good");
            Scored scored = scorer(registry, "rm").score(job);

            assertThat(server.requests()).hasSize(6); // every pair once: 4·3/2
            assertThat(server.requests()).allSatisfy(r -> {
                assertThat(r.json().path("texts")).hasSize(2);
                assertThat(r.json().path("query").asString()).isEqualTo("Q");
            });
            List<Double> wins = scored.scores().stream().map(Score::value).toList();
            // ordered as the pointwise scores: best > good > mid > worst
            assertThat(wins.get(2)).isGreaterThan(wins.get(3));
            assertThat(wins.get(3)).isGreaterThan(wins.get(0));
            assertThat(wins.get(0)).isGreaterThan(wins.get(1));
            // win rates of a round robin average 1/2
            assertThat(wins.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).isCloseTo(0.5, within(1e-9));
            double pBestOverMid = 1 / (1 + Math.exp(-(Math.log(0.98 / 0.02) - Math.log(0.5 / 0.5))));
            double pBestOverWorst = 1 / (1 + Math.exp(-(Math.log(0.98 / 0.02) - Math.log(0.01 / 0.99))));
            double pBestOverGood = 1 / (1 + Math.exp(-(Math.log(0.98 / 0.02) - Math.log(0.8 / 0.2))));
            assertThat(wins.get(2)).isCloseTo((pBestOverMid + pBestOverWorst + pBestOverGood) / 3, within(1e-9));
            assertThat(scored.usage().calls()).isEqualTo(12);

            // the same scorer asked pointwise: one request
            int before = server.requests().size();
            Scored pointwise = scorer(registry, "rm:pointwise").score(job);
            assertThat(pointwise.scores()).extracting(Score::value).containsExactly(0.5, 0.01, 0.98, 0.8);
            assertThat(server.requests()).hasSize(before + 1);
        }
    }
}
