package dev.verigen.reward.http;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Usage;
import dev.verigen.reward.scoring.PairwiseScorer;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code tei-rerank}: a reranker / cross-encoder behind Hugging Face text-embeddings-inference's
 * {@code POST /rerank {"query", "texts": [...], "raw_scores": false, "truncate": true}} → {@code [{"index", "score"}]}
 * (sorted by score, mapped back by index). The query is the job's prompt. vLLM's and Cohere's
 * {@code {"results": [{"index", "relevance_score"}]}} answer is read too, so {@code path: /v1/rerank} points it at vLLM.
 * <p>
 * {@code mode: pointwise} (default): one request for all candidates, each scored by the reranker.
 * {@code mode: pairwise} (or a job's {@code <name>:pairwise}): one request per pair of candidates, {@code texts: [a, b]},
 * {@code P(a ≻ b) = σ(logit s_a − logit s_b)}; the scores are the win rates. {@code <name>:pointwise} undoes the mode.
 * Usage: tokens from TEI's {@code x-compute-tokens} header (else about 4 characters a token), one call per text scored.
 */
@Component
public class TeiRerankBackend implements RewardBackend {

    public static final String TYPE = "tei-rerank";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Scorer create(String name, ScorerConfig config, RewardHttp http) {
        RerankScorer pointwise = new RerankScorer(name, config, http);
        return config.mode() == ScorerConfig.Mode.PAIRWISE ? pointwise.pairwise(name) : pointwise;
    }

    static final class RerankScorer implements Scorer {

        private final String name;
        private final ScorerConfig config;
        private final RewardHttp http;

        RerankScorer(String name, ScorerConfig config, RewardHttp http) {
            this.name = name;
            this.config = config;
            this.http = http;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<Scorer> variant(String variant) {
            return switch (variant) {
                case PairwiseScorer.VARIANT -> Optional.of(pairwise(name + ":" + variant));
                case "pointwise" -> Optional.of(this);
                default -> Optional.empty();
            };
        }

        /** Win rates from one rerank request per pair; its own variant {@code pointwise} is this scorer again. */
        Scorer pairwise(String scorerName) {
            PairwiseScorer pairs = PairwiseScorer.judged(scorerName, this::compare, config.pairwiseConcurrency());
            RerankScorer self = this;
            return new Scorer() {
                @Override
                public String name() {
                    return scorerName;
                }

                @Override
                public Scored score(ScoringJob job) {
                    return pairs.score(job);
                }

                @Override
                public Optional<Scorer> variant(String variant) {
                    return switch (variant) {
                        case "pointwise" -> Optional.of(self);
                        case PairwiseScorer.VARIANT -> Optional.of(this);
                        default -> Optional.empty();
                    };
                }
            };
        }

        @Override
        public Scored score(ScoringJob job) {
            List<CandidateRef> cs = job.candidates();
            if (cs.isEmpty()) {
                return new Scored(List.of(), Usage.ZERO);
            }
            Ranked ranked = rerank(job.prompt(), cs.stream().map(CandidateRef::text).toList());
            List<Score> scores = new ArrayList<>(cs.size());
            for (int i = 0; i < cs.size(); i++) {
                scores.add(new Score(cs.get(i).candidateId(), ranked.scores()[i]));
            }
            return new Scored(scores, ranked.usage());
        }

        private PairwiseScorer.Comparison compare(ScoringJob job, CandidateRef a, CandidateRef b) {
            Ranked ranked = rerank(job.prompt(), List.of(a.text(), b.text()));
            return new PairwiseScorer.Comparison(PairwiseScorer.preference(ranked.scores()[0], ranked.scores()[1]),
                    ranked.usage());
        }

        private record Ranked(double[] scores, Usage usage) {
        }

        private Ranked rerank(String query, List<String> texts) {
            ObjectNode body = http.object();
            body.put("query", query);
            ArrayNode array = body.putArray("texts");
            texts.forEach(array::add);
            body.put("raw_scores", false);
            body.put("truncate", true);
            RewardHttp.Reply reply = http.post("/rerank", body);
            JsonNode results = reply.json().isArray() ? reply.json() : reply.json().path("results");
            if (!results.isArray()) {
                throw http.malformed("response is neither a list of {index, score} nor {results: [...]}",
                        reply.engineMs());
            }
            int n = texts.size();
            if (results.size() != n) {
                throw http.malformed("response ranks " + results.size() + " texts of " + n, reply.engineMs());
            }
            double[] scores = new double[n];
            boolean[] seen = new boolean[n];
            for (JsonNode r : results) {
                JsonNode index = r.path("index");
                JsonNode score = r.has("score") ? r.path("score") : r.path("relevance_score");
                if (!index.isIntegralNumber() || !score.isNumber()) {
                    throw http.malformed("a ranking lacks a numeric index or score", reply.engineMs());
                }
                int i = index.asInt();
                if (i < 0 || i >= n || seen[i] || !RewardValues.finite(score.asDouble())) {
                    throw http.malformed("ranking index " + i + " is out of range, repeated or has no finite score",
                            reply.engineMs());
                }
                seen[i] = true;
                scores[i] = RewardValues.transform(config.transform(), score.asDouble());
            }
            long tokens = reply.headerTokens().orElseGet(() -> {
                long t = 0;
                for (String text : texts) {
                    t += RewardHttp.estimateTokens(query + text);
                }
                return t;
            });
            return new Ranked(scores, new Usage(tokens, 0, n, reply.engineMs(), 0));
        }

        @Override
        public String toString() {
            return "RerankScorer[" + name + ", " + config + "]";
        }
    }
}
