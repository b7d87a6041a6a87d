package dev.verigen.reward.http;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Usage;
import dev.verigen.reward.scoring.Aggregation;
import dev.verigen.reward.scoring.PairwiseScorer;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.scoring.Steps;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code vllm-pooling}: a process reward model (PRM) served by vLLM's {@code /pooling} endpoint with STEP pooling, e.g.
 * Qwen2.5-Math-PRM ({@code vllm serve Qwen/Qwen2.5-Math-PRM-7B}; other PRMs with
 * {@code --pooler-config '{"pooling_type":"STEP","step_tag_id":...,"returned_token_ids":[...]}'}).
 * <p>
 * Each candidate is split into steps at {@code step-delimiter}; every step is followed by {@code step-tag}, and the
 * template of prompt and tagged steps is one input. All candidates go in one request:
 * {@code POST /pooling {"model", "input": [text...]}}. The server answers one row per step tag,
 * {@code data[i].data = [[p_neg, p_pos], ...]} (or plain numbers); the reward of a step is the row's element
 * {@code label-index}. The steps' rewards are aggregated by the scorer's {@link Aggregation}; a job picks another
 * with {@code <name>:last|min|product|mean}, or asks {@code <name>:pairwise} for Bradley–Terry win rates.
 * A candidate without steps (blank text) is not sent and scores 0. A row count that differs from the step count
 * (the tag was tokenized differently, or the server pools another way) is a {@code malformed_response}.
 */
@Component
public class VllmPoolingBackend implements RewardBackend {

    public static final String TYPE = "vllm-pooling";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Scorer create(String name, ScorerConfig config, RewardHttp http) {
        return new ProcessRewardScorer(name, config, http, config.aggregation());
    }

    /** Per-step rewards of one job's candidates, before aggregation. */
    record StepRewards(List<List<Double>> perCandidate, Usage usage) {
    }

    static final class ProcessRewardScorer implements Scorer {

        private final String name;
        private final ScorerConfig config;
        private final RewardHttp http;
        private final Aggregation aggregation;

        ProcessRewardScorer(String name, ScorerConfig config, RewardHttp http, Aggregation aggregation) {
            this.name = name;
            this.config = config;
            this.http = http;
            this.aggregation = aggregation;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<Scorer> variant(String variant) {
            if (PairwiseScorer.VARIANT.equals(variant)) {
                return Optional.of(PairwiseScorer.bradleyTerry(name + ":" + variant, this));
            }
            return Aggregation.parse(variant).map(a -> new ProcessRewardScorer(name + ":" + a.key(), config, http, a));
        }

        @Override
        public Scored score(ScoringJob job) {
            StepRewards rewards = stepRewards(job);
            List<Score> scores = new ArrayList<>(job.candidates().size());
            for (int i = 0; i < job.candidates().size(); i++) {
                double[] steps = rewards.perCandidate().get(i).stream().mapToDouble(Double::doubleValue).toArray();
                scores.add(new Score(job.candidates().get(i).candidateId(), aggregation.apply(steps)));
            }
            return new Scored(scores, rewards.usage());
        }

        StepRewards stepRewards(ScoringJob job) {
            List<CandidateRef> cs = job.candidates();
            List<List<String>> steps = new ArrayList<>(cs.size());
            ObjectNode body = http.object();
            if (config.model() != null) {
                body.put("model", config.model());
            }
            ArrayNode input = body.putArray("input");
            List<Integer> sent = new ArrayList<>();
            long estimated = 0;
            for (int i = 0; i < cs.size(); i++) {
                List<String> s = Steps.split(cs.get(i).text(), config.stepDelimiter());
                steps.add(s);
                if (!s.isEmpty()) {
                    StringBuilder tagged = new StringBuilder();
                    s.forEach(step -> tagged.append(step).append(config.stepTag()));
                    String text = config.render(job.prompt(), tagged.toString());
                    input.add(text);
                    estimated += RewardHttp.estimateTokens(text);
                    sent.add(i);
                }
            }
            List<List<Double>> perCandidate = new ArrayList<>(cs.size());
            steps.forEach(s -> perCandidate.add(List.of()));
            if (sent.isEmpty()) {
                return new StepRewards(perCandidate, Usage.ZERO);
            }
            RewardHttp.Reply reply = http.post("/pooling", body);
            JsonNode data = reply.json().path("data");
            if (!data.isArray() || data.size() != sent.size()) {
                throw http.malformed("response has " + (data.isArray() ? data.size() + " results" : "no data array")
                        + " for " + sent.size() + " inputs", reply.engineMs());
            }
            boolean[] seen = new boolean[sent.size()];
            int position = 0;
            for (JsonNode item : data) {
                int k = item.path("index").asInt(position);
                position++;
                if (k < 0 || k >= sent.size() || seen[k]) {
                    throw http.malformed("result index " + k + " is out of range or repeated", reply.engineMs());
                }
                seen[k] = true;
                int candidate = sent.get(k);
                int expected = steps.get(candidate).size();
                List<Double> values = RewardValues.steps(item.path("data"), config.labelIndex())
                        .orElseThrow(() -> http.malformed("result " + candidate + " has no per-step rewards",
                                reply.engineMs()));
                if (values.size() != expected) {
                    throw http.malformed("result " + candidate + " has " + values.size() + " step rewards for "
                            + expected + " steps (does the server pool at the step tag '" + config.stepTag() + "'?)",
                            reply.engineMs());
                }
                List<Double> transformed = new ArrayList<>(values.size());
                for (double v : values) {
                    if (!RewardValues.finite(v)) {
                        throw http.malformed("result " + candidate + " has a non-finite step reward", reply.engineMs());
                    }
                    transformed.add(RewardValues.transform(config.transform(), v));
                }
                perCandidate.set(candidate, List.copyOf(transformed));
            }
            long promptTokens = reply.json().path("usage").path("prompt_tokens").asLong(estimated);
            return new StepRewards(perCandidate, new Usage(promptTokens, 0, sent.size(), reply.engineMs(), 0));
        }

        @Override
        public String toString() {
            return "ProcessRewardScorer[" + name + ", " + aggregation.key() + ", " + config + "]";
        }
    }
}
