package dev.verigen.reward.sim;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.simulation.TaskTruth;
import dev.verigen.reward.scoring.Aggregation;
import dev.verigen.reward.scoring.PairwiseScorer;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.scoring.Steps;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@code sim-prm}: a SIMULATED process reward model, not a real model. It scores every reasoning step (the candidate
 * split at {@code step-delimiter}) and aggregates the step scores ({@code min} by default).
 * <p>
 * Like a real PRM it sees the task and the steps, never a reference answer. It checks each step's own arithmetic
 * ("12 + 7 = 18" is wrong whatever the task), and knows what the task asks ({@link TaskTruth}) to judge a finished
 * answer. A finished candidate with the task's answer has all steps right. Otherwise the candidate goes wrong at its
 * first step whose own arithmetic is wrong, else, if finished with a wrong answer, at its answer when that is not
 * what its last step computed, else at a step drawn uniformly (seeded by the text); it stays wrong from there, so a
 * finished wrong candidate's final step is always wrong. A partial candidate (no answer yet, as step-wise search
 * scores them) without such a slip is right so far, and so is a finished one of a task it cannot read. Step k scores
 * {@code sigmoid(±separation/2 + noise·Z_k)} (+ right, − wrong), except that the first {@code overconfident-steps} steps
 * score {@code sigmoid(early-logit + noise·Z_k)} whatever their correctness: the early overconfidence that makes
 * step-wise search exploit prefixes too soon. Its errors are not independent of the sampler's: the wrong steps of a
 * solution whose slip (or answer) is one of the task's misconceptions score {@code sharedErrors × separation × appeal}
 * higher. Z_k is a standard normal drawn from SHA-256(seed, prompt, text, k): the same job scores the same everywhere.
 */
@Component
public class SimulatedProcessRewardModel implements Scorer {

    public static final String NAME = "sim-prm";
    private static final Logger log = LoggerFactory.getLogger(SimulatedProcessRewardModel.class);

    private final SimPrmProperties properties;
    private final MeterRegistry meters;
    private final String stepDelimiter;
    private final Aggregation aggregation;
    private final String name;

    @Autowired
    public SimulatedProcessRewardModel(SimPrmProperties properties, MeterRegistry meters) {
        this(properties, meters, properties.aggregation(), NAME);
        log.info("{} is a SIMULATED process reward model (not a real model): seed={}, separation={}, noise={}, "
                        + "{} overconfident early steps at logit {}, aggregation {}, per-step AUC {}", NAME,
                properties.seed(), properties.separation(), properties.noise(), properties.overconfidentSteps(),
                properties.earlyLogit(), aggregation.key(),
                String.format("%.3f", Calibration.expectedAuc(properties.separation(), properties.noise())));
    }

    private SimulatedProcessRewardModel(SimPrmProperties properties, MeterRegistry meters, Aggregation aggregation,
                                        String name) {
        this.properties = properties;
        this.meters = meters;
        this.stepDelimiter = Steps.unescape(properties.stepDelimiter());
        this.aggregation = aggregation;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** {@code sim-prm:<aggregation>} or {@code sim-prm:pairwise} (Bradley–Terry win rates). */
    @Override
    public Optional<Scorer> variant(String variant) {
        if (PairwiseScorer.VARIANT.equals(variant)) {
            return Optional.of(PairwiseScorer.bradleyTerry(name + ":" + variant, this));
        }
        return Aggregation.parse(variant)
                .map(a -> new SimulatedProcessRewardModel(properties, meters, a, NAME + ":" + a.key()));
    }

    @Override
    public Scored score(ScoringJob job) {
        List<Score> scores = new ArrayList<>(job.candidates().size());
        long promptTokens = 0;
        for (CandidateRef candidate : job.candidates()) {
            double[] steps = stepScores(job.prompt(), candidate.text());
            double score = aggregation.apply(steps);
            scores.add(new Score(candidate.candidateId(), score));
            promptTokens += SimulatedOutcomeRewardModel.estimateTokens(job.prompt(), candidate.text());
            meters.summary("verigen.reward.sim.score", "scorer", NAME, "simulated", "true", "latent",
                    latent(job.prompt(), candidate.text())).record(score);
        }
        long ms = properties.latencyPerItem().toMillis() * job.candidates().size();
        if (ms > 0) {
            try {
                Thread.sleep(ms); // cheap on a virtual thread; keeps benchmark timings honest about a model's cost
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Scored(scores, new Usage(promptTokens, 0, job.candidates().size(), ms, 0));
    }

    /** Where a solution goes wrong (m: nowhere) and how appealing its mistake is (0 unless a misconception). */
    private record Fault(int firstError, double appeal) {
    }

    /** The simulated score of every step of {@code text}, in order (empty for a blank text). */
    public double[] stepScores(String prompt, String text) {
        List<String> steps = Steps.split(text, stepDelimiter);
        int m = steps.size();
        Fault fault = fault(TaskTruth.of(prompt), prompt, text, steps);
        double shared = properties.sharedErrors() * properties.separation() * fault.appeal();
        double[] scores = new double[m];
        for (int k = 0; k < m; k++) {
            double z = properties.noise() * SeededNoise.gaussian(properties.seed(), prompt, text, "step-" + k);
            double logit;
            if (k < properties.overconfidentSteps()) {
                logit = properties.earlyLogit() + z;
            } else {
                double half = 0.5 * properties.separation();
                logit = (k < fault.firstError() ? half : shared - half) + z;
            }
            scores[k] = SimulatedOutcomeRewardModel.sigmoid(logit);
        }
        return scores;
    }

    /**
     * The first wrong step ({@code m} when none is). A finished candidate with the task's answer is right throughout.
     * Otherwise the first step whose own arithmetic is wrong ({@link StepArithmetic}), so a partial solution is judged
     * by what it has said so far; failing that, a finished wrong candidate goes wrong at its answer when the answer
     * is not what its last step computed, else at a seeded uniform step. A task it cannot read leaves only the
     * steps' own arithmetic to go by.
     */
    private Fault fault(TaskTruth truth, String prompt, String text, List<String> steps) {
        int m = steps.size();
        Optional<String> answer = FinalAnswer.stated(text);
        TaskTruth.Judgement judged = answer.isPresent() ? truth.judge(text) : new TaskTruth.Judgement(null, null);
        if (Boolean.TRUE.equals(judged.correct())) {
            return new Fault(m, 0);
        }
        BigInteger lastResult = null;
        for (int k = 0; k < m; k++) {
            Optional<StepArithmetic.Check> check = StepArithmetic.check(steps.get(k));
            if (check.isPresent()) {
                if (!check.get().right()) {
                    double appeal = check.get().firstWrong()
                            .flatMap(w -> truth.misconceptionAt(w.left(), w.op(), w.right(), w.result()))
                            .map(TaskTruth.Misconception::appeal).orElse(judged.appeal());
                    return new Fault(k, appeal);
                }
                lastResult = check.get().result();
            }
        }
        if (answer.isEmpty() || judged.correct() == null) {
            return new Fault(m, 0); // right so far, or nothing to tell it by
        }
        if (lastResult != null && !saysResult(answer.get(), lastResult)) {
            return new Fault(m - 1, judged.appeal()); // every step right, then the answer did not say what they found
        }
        return new Fault((int) Math.floor(SeededNoise.uniform(properties.seed(), prompt, text, "first-error") * m),
                judged.appeal());
    }

    private static boolean saysResult(String answer, BigInteger result) {
        return FinalAnswer.lastNumber(answer).map(a -> a.compareTo(new BigDecimal(result)) == 0).orElse(false);
    }

    private static String latent(String prompt, String text) {
        if (FinalAnswer.stated(text).isEmpty()) {
            return "partial";
        }
        TaskTruth.Judgement judged = TaskTruth.of(prompt).judge(text);
        if (judged.correct() == null) {
            return "unknown";
        }
        return judged.correct() ? "correct" : judged.misconception() != null ? "misconception" : "wrong";
    }
}
