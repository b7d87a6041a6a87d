package dev.verigen.reward.genrm;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.scoring.ScorerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@code likelihood:<pool>}: scores each candidate by the pool's model's likelihood of it after the task — one
 * generation job in scoring mode (continuations = the candidates' texts, nothing sampled), answered with each
 * continuation's teacher-forced log-probability. Score = exp(mean token log-probability) ∈ (0, 1] (the per-token
 * geometric-mean probability), 0 for an empty candidate. A real model on {@code llamacpp} and {@code openai} pools; a
 * SIMULATED likelihood on {@code sim} pools. Usage is the generation's (prompt once plus candidates' tokens, one call
 * per candidate).
 */
@Component
public class LikelihoodScorer implements Scorer {

    public static final String NAME = "likelihood";

    private final GenerationClient client;
    private final GenRmProperties properties;
    private final String pool;

    @Autowired
    public LikelihoodScorer(GenerationClient client, GenRmProperties properties) {
        this(client, properties, null);
    }

    private LikelihoodScorer(GenerationClient client, GenRmProperties properties, String pool) {
        this.client = client;
        this.properties = properties;
        this.pool = pool;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Scorer> variant(String variant) {
        if (pool == null && ModelScorers.validPool(variant)) {
            return Optional.of(new LikelihoodScorer(client, properties, variant));
        }
        return Optional.empty();
    }

    @Override
    public Scored score(ScoringJob job) {
        String target = ModelScorers.requirePool(NAME, pool);
        List<String> texts = job.candidates().stream().map(CandidateRef::text).toList();
        GenerationJob generation = GenerationJob.scoring(ModelScorers.meta(job, client.replyTopic()),
                GenerationJob.Role.GENERATE, target, job.prompt(), texts);
        CompletableFuture<GenerationResult> future = client.submit(generation);
        List<GenerationResult> results = ModelScorers.await(client, List.of(generation), List.of(future),
                job.meta().deadline(), properties.defaultTimeout());
        ModelScorers.failOnError(results);
        GenerationResult result = results.getFirst();
        if (result.samples().size() != texts.size()) {
            throw new ScorerException("malformed_response", "pool " + target + " scored " + result.samples().size()
                    + " of " + texts.size() + " continuations", true, ModelScorers.usage(results));
        }
        List<Score> scores = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            GenerationResult.Sample s = result.samples().get(i);
            if (s.logprob() == null) {
                throw new ScorerException("malformed_response", "pool " + target + " returned no log-probability",
                        false, ModelScorers.usage(results));
            }
            double value = s.completionTokens() <= 0 ? 0 : Math.exp(s.logprob() / s.completionTokens());
            scores.add(new Score(job.candidates().get(i).candidateId(), Math.min(1.0, value)));
        }
        return new Scored(scores, ModelScorers.usage(results));
    }
}
