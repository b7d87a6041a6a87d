package dev.verigen.orchestrator.experiments;

import dev.verigen.orchestrator.allocation.Arm;
import dev.verigen.orchestrator.allocation.CurveBook;
import dev.verigen.orchestrator.allocation.Features;
import dev.verigen.orchestrator.allocation.Observation;
import dev.verigen.orchestrator.allocation.Options;
import dev.verigen.orchestrator.allocation.PooledVote;
import dev.verigen.orchestrator.allocation.Sample;
import dev.verigen.orchestrator.experiments.metrics.GradedRun;
import dev.verigen.orchestrator.experiments.metrics.GradedSample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Turns what a finished experiment showed into a curve book for its pool and suite. Every voting run on the pool
 * (uniform best_of_n / self_consistency arms, and the samples a compute_optimal arm pooled per item) is read in the
 * order its samples were drawn: at each stage of the difficulty estimate, the features of the first samples, and at
 * every larger size, whether the pooled vote over that many was right, as graded against the reference. A search or
 * verifying arm of the allocation is learned from a uniform arm of the same experiment that runs it as the allocator
 * would buy it ({@link #matching}): its run's own answer on an item, against that item's voting features.
 */
@Component
public class CurveLearner {

    /** Fewer observations than this fit noise rather than curves: the stored book is left as it is. */
    static final int MIN_OBSERVATIONS = 40;
    private static final Set<String> VOTING = Set.of("best_of_n", "self_consistency");

    public record Learned(CurveBook book, int observations) {
    }

    public Optional<Learned> learn(ExperimentRepository.ExperimentRow row, Options options, CurveBook current,
                                   List<ExperimentRepository.GradedCell> graded) {
        Map<String, ExperimentSpec.Arm> arms = new LinkedHashMap<>();
        row.spec().arms().forEach(a -> arms.put(a.name(), a));
        List<List<GradedSample>> pools = new ArrayList<>();
        Map<String, List<GradedSample>> itemPools = new LinkedHashMap<>(); // seed|item → its first voting pool
        Map<String, List<ExperimentRepository.GradedCell>> batchItems = new LinkedHashMap<>();
        Map<String, List<ExperimentRepository.GradedCell>> ownRuns = new LinkedHashMap<>(); // allocation arm → runs
        for (var cell : graded) {
            ExperimentSpec.Arm arm = arms.get(cell.key().arm());
            if (arm == null || !options.model().equals(arm.pool())) {
                continue;
            }
            if (arm.computeOptimal()) {
                batchItems.computeIfAbsent(arm.name() + "|" + cell.key().seed() + "|" + cell.key().itemId(),
                        k -> new ArrayList<>()).add(cell);
            } else if (VOTING.contains(arm.strategy()) && matching(arm, options).isEmpty()) {
                pools.add(cell.run().samples());
                itemPools.putIfAbsent(cell.key().seed() + "|" + cell.key().itemId(), cell.run().samples());
            }
            matching(arm, options).ifPresent(own -> ownRuns.computeIfAbsent(own.name(), k -> new ArrayList<>())
                    .add(cell));
        }
        for (var cells : batchItems.values()) {
            List<GradedSample> pooled = new ArrayList<>();
            cells.stream().sorted(Comparator.comparingInt(c -> tagOrder(c.key().tag())))
                    .forEach(c -> pooled.addAll(c.run().samples()));
            pools.add(pooled);
        }
        List<Observation> observations = new ArrayList<>();
        for (List<GradedSample> pool : pools) {
            observe(pool, options, current.voteExponent(), observations);
        }
        ownRuns.forEach((armName, cells) -> {
            Arm own = options.arms().stream().filter(a -> a.name().equals(armName)).findFirst().orElseThrow();
            for (var cell : cells) {
                List<GradedSample> pool = itemPools.get(cell.key().seed() + "|" + cell.key().itemId());
                if (pool != null) {
                    observeOwnAnswer(own, cell.run(), pool, options, current.voteExponent(), observations);
                }
            }
        });
        if (observations.size() < MIN_OBSERVATIONS) {
            return Optional.empty();
        }
        // the verifier's errors, measured where its verdicts meet the grades: what compute_optimal plans with later
        List<Boolean> verdicts = new ArrayList<>();
        List<Boolean> truth = new ArrayList<>();
        pools.forEach(pool -> pool.forEach(s -> {
            verdicts.add(s.verifierPass());
            truth.add(s.correct());
        }));
        CurveBook.VerifierErrors measured = CurveBook.VerifierErrors.of(verdicts, truth);
        return Optional.of(new Learned(CurveBook.fit(options.model(), row.spec().suite(), options.votingArm().name(),
                current.voteExponent(), options.bins(), observations)
                .withVerifier(measured != null ? measured : current.verifier()), observations.size()));
    }

    private static void observe(List<GradedSample> pool, Options options, double exponent, List<Observation> out) {
        List<Sample> samples = pool.stream().map(s -> new Sample(s.answer(), s.verifierPass(), s.score(), s.logprob(),
                s.tokens(), true)).toList();
        long right = pool.stream().filter(GradedSample::correct).count();
        Double solveRate = pool.isEmpty() ? null : right / (double) pool.size();
        double perSample = pool.stream().mapToLong(GradedSample::tokens).average().orElse(0);
        for (int stage = options.pilotSamples(); stage < samples.size(); stage *= 2) {
            Features features = Features.of(samples.subList(0, stage), exponent);
            for (int size = stage; size <= samples.size(); size *= 2) {
                String answer = PooledVote.of(samples.subList(0, size), exponent).answer();
                boolean correct = answer != null && pool.stream().anyMatch(s -> s.correct() && answer.equals(s.answer()));
                out.add(new Observation(options.votingArm().name(), features, size, size * perSample, correct,
                        solveRate));
            }
        }
    }

    /**
     * The allocation's search or verifying arm a uniform arm of the experiment runs as it would buy it (same strategy,
     * size and scorer on the same pool), so the uniform arm's runs are that arm's training data.
     */
    static Optional<Arm> matching(ExperimentSpec.Arm uniform, Options options) {
        if (uniform.computeOptimal()) {
            return Optional.empty();
        }
        JsonNode p = uniform.pipeline();
        String scorer = p.path("rewardModel").isString() ? p.path("rewardModel").stringValue() : null;
        return options.searchArms().stream()
                .filter(a -> a.strategy().equals(uniform.strategy()) && p.path("n").asInt(-1) == a.n()
                        && java.util.Objects.equals(scorer, a.rewardModel(options.rewardModel())))
                .findFirst();
    }

    /**
     * A search or verifying run's own answer, against the features of the same item's voting samples at each stage:
     * what buying that arm at that point would have given (its curve).
     */
    private static void observeOwnAnswer(Arm arm, GradedRun run, List<GradedSample> pool, Options options,
                                         double exponent, List<Observation> out) {
        List<Sample> samples = pool.stream().map(s -> new Sample(s.answer(), s.verifierPass(), s.score(), s.logprob(),
                s.tokens(), true)).toList();
        double solveRate = pool.stream().filter(GradedSample::correct).count() / (double) Math.max(1, pool.size());
        for (int stage = options.pilotSamples(); stage < samples.size(); stage *= 2) {
            out.add(new Observation(arm.name(), Features.of(samples.subList(0, stage), exponent), arm.n(), run.tokens(),
                    Boolean.TRUE.equals(run.selectedCorrect()), solveRate));
        }
    }

    /** r0 (the pilot), r1, r2, ...: the order the allocator bought them in. */
    private static int tagOrder(String tag) {
        try {
            return Integer.parseInt(tag.substring(1));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }
}
