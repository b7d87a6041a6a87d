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
import java.util.OptionalDouble;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code vllm-reward}: an outcome reward model served by vLLM ({@code vllm serve <rm> --runner pooling}), one score per
 * candidate, all candidates of a job in one request. Endpoints:
 * <ul>
 * <li>{@code pooling}: {@code POST /pooling {"model", "input": [text...]}} → {@code data[i].data}, a number, a vector
 * (element {@code label-index}) or a per-token matrix (the last token's row);</li>
 * <li>{@code classify}: {@code POST /classify {"model", "input": [text...]}} → {@code data[i].probs[label-index]};</li>
 * <li>{@code score}: {@code POST /score {"model", "text_1": prompt, "text_2": [candidate...]}} → {@code data[i].score}
 * (cross-encoder style RMs; no template).</li>
 * </ul>
 * Texts are the configured {@code template} of prompt and candidate. Results are matched to candidates by their
 * {@code index}. Usage: the server's {@code usage.prompt_tokens}, one call per candidate, the request's time.
 * A job may ask for {@code <name>:pairwise}: Bradley–Terry win rates from these scores.
 */
@Component
public class VllmRewardBackend implements RewardBackend {

    public static final String TYPE = "vllm-reward";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Scorer create(String name, ScorerConfig config, RewardHttp http) {
        return new VllmRewardScorer(name, config, http);
    }

    static final class VllmRewardScorer implements Scorer {

        private final String name;
        private final ScorerConfig config;
        private final RewardHttp http;

        VllmRewardScorer(String name, ScorerConfig config, RewardHttp http) {
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
            return PairwiseScorer.VARIANT.equals(variant)
                    ? Optional.of(PairwiseScorer.bradleyTerry(name + ":" + variant, this))
                    : Optional.empty();
        }

        @Override
        public Scored score(ScoringJob job) {
            List<CandidateRef> cs = job.candidates();
            if (cs.isEmpty()) {
                return new Scored(List.of(), Usage.ZERO);
            }
            ObjectNode body = http.object();
            if (config.model() != null) {
                body.put("model", config.model());
            }
            String path;
            long estimated = 0;
            switch (config.endpoint()) {
                case SCORE -> {
                    path = "/score";
                    body.put("text_1", job.prompt());
                    ArrayNode texts = body.putArray("text_2");
                    for (CandidateRef c : cs) {
                        texts.add(c.text());
                        estimated += RewardHttp.estimateTokens(job.prompt() + c.text());
                    }
                }
                case CLASSIFY, POOLING -> {
                    path = config.endpoint() == ScorerConfig.Endpoint.CLASSIFY ? "/classify" : "/pooling";
                    ArrayNode input = body.putArray("input");
                    for (CandidateRef c : cs) {
                        String text = config.render(job.prompt(), c.text());
                        input.add(text);
                        estimated += RewardHttp.estimateTokens(text);
                    }
                }
                default -> throw new IllegalStateException("unknown endpoint " + config.endpoint());
            }
            RewardHttp.Reply reply = http.post(path, body);
            double[] values = read(reply, cs.size());
            List<Score> scores = new ArrayList<>(cs.size());
            for (int i = 0; i < cs.size(); i++) {
                scores.add(new Score(cs.get(i).candidateId(), values[i]));
            }
            long promptTokens = reply.json().path("usage").path("prompt_tokens").asLong(estimated);
            return new Scored(scores, new Usage(promptTokens, 0, cs.size(), reply.engineMs(), 0));
        }

        private double[] read(RewardHttp.Reply reply, int n) {
            JsonNode data = reply.json().path("data");
            if (!data.isArray()) {
                throw http.malformed("response has no data array", reply.engineMs());
            }
            if (data.size() != n) {
                throw http.malformed("response has " + data.size() + " results for " + n + " candidates",
                        reply.engineMs());
            }
            double[] values = new double[n];
            boolean[] seen = new boolean[n];
            int position = 0;
            for (JsonNode item : data) {
                int index = item.path("index").asInt(position);
                position++;
                if (index < 0 || index >= n || seen[index]) {
                    throw http.malformed("result index " + index + " is out of range or repeated", reply.engineMs());
                }
                OptionalDouble v = switch (config.endpoint()) {
                    case SCORE -> item.path("score").isNumber()
                            ? OptionalDouble.of(item.path("score").asDouble()) : OptionalDouble.empty();
                    case CLASSIFY -> RewardValues.element(item.path("probs"), config.labelIndex());
                    case POOLING -> RewardValues.outcome(item.path("data"), config.labelIndex());
                };
                if (v.isEmpty() || !RewardValues.finite(v.getAsDouble())) {
                    throw http.malformed("result " + index + " has no usable score", reply.engineMs());
                }
                values[index] = RewardValues.transform(config.transform(), v.getAsDouble());
                seen[index] = true;
            }
            return values;
        }

        @Override
        public String toString() {
            return "VllmRewardScorer[" + name + ", " + config + "]";
        }
    }
}
