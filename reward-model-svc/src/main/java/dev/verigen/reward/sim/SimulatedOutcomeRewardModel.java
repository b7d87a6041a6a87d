package dev.verigen.reward.sim;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.simulation.TaskTruth;
import dev.verigen.reward.scoring.PairwiseScorer;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code sim-orm}: a SIMULATED outcome reward model, not a real model. Like a real one it sees the task and the
 * candidate, never a reference answer: it works out what the task asks ({@link TaskTruth}: the value of an arithmetic
 * expression, a built-in suite item's gold answer) and scores {@code sigmoid(±separation/2 + noise·Z)} (+ right,
 * − wrong) with Z a standard normal seeded by (seed, prompt, candidate text). Its errors are not independent of the
 * sampler's: a wrong answer that is one of the task's misconceptions (the ones the simulated model is drawn to) gets
 * {@code sharedErrors × separation × appeal} more, so the popular wrong answer looks nearly as good as the right
 * one. A task it cannot read, or a candidate that states no answer, scores {@code sigmoid(noise·Z)}: no signal.
 * It exists so strategies, budgets and benchmarks can be exercised with a reward model of known quality.
 */
@Component
public class SimulatedOutcomeRewardModel implements Scorer {

    public static final String NAME = "sim-orm";
    private static final Logger log = LoggerFactory.getLogger(SimulatedOutcomeRewardModel.class);

    private final SimOrmProperties properties;
    private final MeterRegistry meters;

    public SimulatedOutcomeRewardModel(SimOrmProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.meters = meters;
        log.info("{} is a SIMULATED outcome reward model (not a real model): seed={}, separation={}, noise={}, "
                        + "sharedErrors={}, expected AUC {} (against fresh slips)", NAME, properties.seed(),
                properties.separation(), properties.noise(), properties.sharedErrors(),
                String.format("%.3f", Calibration.expectedAuc(properties.separation(), properties.noise())));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code sim-orm:pairwise}: Bradley–Terry win rates from these (simulated) scores. */
    @Override
    public Optional<Scorer> variant(String variant) {
        return PairwiseScorer.VARIANT.equals(variant)
                ? Optional.of(PairwiseScorer.bradleyTerry(NAME + ":" + variant, this))
                : Optional.empty();
    }

    @Override
    public Scored score(ScoringJob job) {
        TaskTruth truth = TaskTruth.of(job.prompt());
        List<Score> scores = new ArrayList<>(job.candidates().size());
        long promptTokens = 0;
        for (CandidateRef candidate : job.candidates()) {
            double logit = properties.noise() * SeededNoise.gaussian(properties.seed(), job.prompt(), candidate.text());
            String latent = "unknown";
            TaskTruth.Judgement judged = truth.judge(candidate.text());
            if (judged.correct() != null) {
                boolean correct = judged.correct();
                logit += (correct ? 0.5 : -0.5) * properties.separation()
                        + properties.sharedErrors() * properties.separation() * judged.appeal();
                latent = correct ? "correct" : judged.misconception() != null ? "misconception" : "wrong";
            }
            double score = sigmoid(logit);
            scores.add(new Score(candidate.candidateId(), score));
            promptTokens += estimateTokens(job.prompt(), candidate.text());
            meters.summary("verigen.reward.sim.score", "scorer", NAME, "simulated", "true", "latent", latent).record(score);
        }
        long engineMs = simulateLatency(job.candidates().size());
        return new Scored(scores, new Usage(promptTokens, 0, job.candidates().size(), engineMs, 0));
    }

    /** About four characters per token, which is what BPE tokenizers average on English and code. */
    static long estimateTokens(String prompt, String text) {
        return (prompt.length() + (long) text.length() + 3) / 4;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private long simulateLatency(int items) {
        long ms = properties.latencyPerItem().toMillis() * items;
        if (ms > 0) {
            try {
                Thread.sleep(ms); // cheap on a virtual thread; keeps benchmark timings honest about a model's cost
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ms;
    }
}
