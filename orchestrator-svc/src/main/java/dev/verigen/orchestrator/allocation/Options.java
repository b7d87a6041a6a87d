package dev.verigen.orchestrator.allocation;

import dev.verigen.contracts.Json;
import dev.verigen.orchestrator.strategies.BeamSearch;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.Dvts;
import dev.verigen.orchestrator.strategies.ParticleFilter;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import dev.verigen.orchestrator.strategies.Strategy;
import dev.verigen.orchestrator.strategies.StrategyOptions;
import dev.verigen.support.problems.FieldError;
import dev.verigen.orchestrator.web.JsonFields;
import dev.verigen.contracts.SamplingParams;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The allocator's settings, read from a JSON-like map with every problem named by its path under
 * {@code allocation} (as {@code StrategyOptions} does under {@code pipeline.options}).
 *
 * @param model           the pool every purchase runs on
 * @param rewardModel     scores voting samples (the pooled vote's weights); null: majority vote
 * @param verifier        checks voting samples against the reference when the runner has one; null: none
 * @param arms            what may be bought; exactly one voting arm, which also buys the pilot
 * @param pilotSamples    the pilot's voting samples, and the first stage of the difficulty estimate
 * @param maxSamples      the most voting samples an item may get
 * @param bins            difficulty bins when fitting a curve book
 * @param abstain         answer nothing when the expected precision is below {@code abstainBelow}
 * @param maxTokensPerItem an item's finished runs plus in-flight budgets never exceed it; 0: no cap
 * @param settleConfidence an item whose estimated P(answer right) reaches this gets nothing more
 * @param settleScore     ... nor one whose samples all agree with a mean reward score of at least this
 * @param sampleMaxTokens every purchased sample's max tokens (a voting run's budget is its upper bound)
 * @param promptTokens    an upper bound of an item's prompt as budgets count it (prompt + template allowance)
 * @param verifierFalsePositiveRate with the false-negative rate, the verifier's errors. NaN (the default): the rates
 *                  the curve book measured on graded training samples, already priced into its curves (learned from
 *                  the same verdicts); a number is applied analytically: a precision ceiling, and a stop where a new
 *                  sample is likelier a false positive than a true one ({@link VerifierRates})
 */
public record Options(String model, String rewardModel, String verifier, List<Arm> arms, int pilotSamples,
                      int maxSamples, int bins, boolean abstain, double abstainBelow, long maxTokensPerItem,
                      double settleConfidence, double settleScore, int sampleMaxTokens, long promptTokens,
                      double temperature, long seed, double verifierFalsePositiveRate,
                      double verifierFalseNegativeRate) {

    public static final String PATH = "allocation";

    /**
     * The verifier's error rates and how they enter the plan. Measured rates (the curve book's, learned from the same
     * verdicts as its curves) are already in the curves: a bin's accuracy at N samples is what the answer rule, a vote
     * among the passes, achieved with that verifier, false positives included, so they are reported and not applied
     * again. Given rates are applied analytically ({@code analytic}): the precision ceiling and the per-item
     * false-positive stop of "Inference Scaling fLaws", which model an answer that is any one pass, a pessimistic
     * bound for a vote among passes when false positives scatter over wrong answers.
     */
    public record VerifierRates(double falsePositiveRate, double falseNegativeRate, String source, boolean analytic) {
    }

    public VerifierRates verifierRates(CurveBook book) {
        CurveBook.VerifierErrors measured = book == null ? null : book.verifier();
        if (!Double.isNaN(verifierFalsePositiveRate) || !Double.isNaN(verifierFalseNegativeRate)) {
            double fp = !Double.isNaN(verifierFalsePositiveRate) ? verifierFalsePositiveRate
                    : measured != null ? measured.falsePositiveRate() : 0;
            double fn = !Double.isNaN(verifierFalseNegativeRate) ? verifierFalseNegativeRate
                    : measured != null ? measured.falseNegativeRate() : 0;
            return new VerifierRates(fp, fn, "given, applied analytically (precision ceiling, false-positive stop)",
                    true);
        }
        if (measured != null) {
            return new VerifierRates(measured.falsePositiveRate(), measured.falseNegativeRate(), "measured on "
                    + measured.samples() + " graded samples, priced into the learned curves", false);
        }
        return new VerifierRates(0, 0, "unmeasured (0)", false);
    }

    static final Map<String, Supplier<Strategy>> STRATEGIES = Map.of(BestOfN.NAME, BestOfN::new,
            SelfConsistency.NAME, SelfConsistency::new, ParticleFilter.NAME, ParticleFilter::new, Dvts.NAME, Dvts::new,
            BeamSearch.NAME, BeamSearch::new, dev.verigen.orchestrator.strategies.AStar.NAME,
            dev.verigen.orchestrator.strategies.AStar::new);
    static final Set<String> VOTING = Set.of(BestOfN.NAME, SelfConsistency.NAME);
    private static final Set<String> KNOWN = Set.of("model", "rewardModel", "verifier", "strategies", "pilotSamples",
            "maxSamples", "bins", "abstain", "abstainBelow", "maxTokensPerItem", "settleConfidence", "settleScore",
            "sampleMaxTokens", "promptTokens", "temperature", "seed", "verifierFalsePositiveRate",
            "verifierFalseNegativeRate");
    private static final Set<String> ARM_FIELDS = Set.of("name", "strategy", "n", "options", "maxTokens",
            "verifications", "judge");
    /** reward-model-svc's default largest {@code judge:<pool>:k=} */
    static final int MAX_VERIFICATIONS = 32;

    /** Every problem found, each with its path (e.g. {@code allocation.strategies[1].n}). */
    public static final class InvalidOptions extends IllegalArgumentException {
        private final transient List<FieldError> errors;

        InvalidOptions(List<FieldError> errors) {
            super(errors.stream().map(e -> e.field() + ": " + e.message()).toList().toString());
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    public Arm votingArm() {
        return arms.stream().filter(Arm::voting).findFirst().orElseThrow();
    }

    /** Every arm whose run answers on its own: step-wise searches and verifying arms. */
    public List<Arm> searchArms() {
        return arms.stream().filter(a -> !a.voting()).toList();
    }

    /**
     * Reads and validates the settings. Model, scorer and verifier names are not checked here (the runner's
     * platform checks them when it submits the runs); the arms' options are, by their own strategies.
     *
     * @throws InvalidOptions naming every bad field
     */
    public static Options read(Map<String, Object> raw) {
        JsonNode node = Json.convert(raw == null ? Map.of() : raw, JsonNode.class);
        var f = new JsonFields();
        f.onlyKnown(node, PATH, KNOWN);
        String model = f.text(node, "model", path("model"), true, 64);
        String rewardModel = f.text(node, "rewardModel", path("rewardModel"), false, 128);
        String verifier = f.text(node, "verifier", path("verifier"), false, 64);
        int pilot = integer(f, node, "pilotSamples", 1, 1024, 4);
        int maxSamples = integer(f, node, "maxSamples", 1, 1024, 64);
        if (maxSamples < pilot) {
            f.reject(path("maxSamples"), "must be at least pilotSamples (" + pilot + ")");
        }
        int bins = integer(f, node, "bins", 1, 20, 5);
        Boolean abstain = f.bool(node, "abstain", path("abstain"));
        double abstainBelow = decimal(f, node, "abstainBelow", 0, 1, 0.5);
        Long perItem = f.integer(node, "maxTokensPerItem", path("maxTokensPerItem"), 0, Long.MAX_VALUE / 4);
        double settleConfidence = decimal(f, node, "settleConfidence", 0.5, 1, 0.99);
        double settleScore = decimal(f, node, "settleScore", 0, 1, 0.9);
        int sampleMaxTokens = integer(f, node, "sampleMaxTokens", 1, 32_768, 256);
        Long promptTokens = f.integer(node, "promptTokens", path("promptTokens"), 1, 1_000_000);
        double temperature = decimal(f, node, "temperature", 0, 2, 0.8);
        Long seed = f.integer(node, "seed", path("seed"), Long.MIN_VALUE, Long.MAX_VALUE);
        double fpr = decimal(f, node, "verifierFalsePositiveRate", 0, 1, Double.NaN);
        double fnr = decimal(f, node, "verifierFalseNegativeRate", 0, 1, Double.NaN);
        var base = new PipelineSpec(BestOfN.NAME, 1, model == null ? "unknown" : model, null, rewardModel,
                new SamplingParams(temperature, 1.0, sampleMaxTokens, 0L, List.of(), false), 300);
        List<Arm> arms = arms(f, node, base);
        if (!f.errors().isEmpty()) {
            throw new InvalidOptions(f.errors());
        }
        return new Options(model, rewardModel, verifier, arms, pilot, maxSamples, bins, Boolean.TRUE.equals(abstain),
                abstainBelow, perItem == null ? 0 : perItem, settleConfidence, settleScore, sampleMaxTokens,
                promptTokens == null ? 512 : promptTokens, temperature, seed == null ? 0 : seed, fpr, fnr);
    }

    private static List<Arm> arms(JsonFields f, JsonNode node, PipelineSpec base) {
        JsonNode list = node == null ? null : node.get("strategies");
        if (list == null || list.isNull()) {
            return List.of(new Arm("vote", BestOfN.NAME, 1, normalised(f, BestOfN.NAME, null, base, path("strategies")),
                    0, true));
        }
        if (!list.isArray() || list.isEmpty() || list.size() > 16) {
            f.reject(path("strategies"), "must be an array of 1 to 16 arms");
            return List.of();
        }
        List<Arm> arms = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = path("strategies") + "[" + i + "]";
            JsonNode arm = list.get(i);
            if (!arm.isObject()) {
                f.reject(at, "must be an object {\"name\", \"strategy\", \"n\", \"options\", \"maxTokens\", "
                        + "\"verifications\", \"judge\"}");
                continue;
            }
            f.onlyKnown(arm, at, ARM_FIELDS);
            String name = f.text(arm, "name", at + ".name", true, 64);
            String strategy = f.text(arm, "strategy", at + ".strategy", true, 64);
            if (strategy != null && !STRATEGIES.containsKey(strategy)) {
                f.reject(at + ".strategy", "must be one of " + new java.util.TreeSet<>(STRATEGIES.keySet()));
                continue;
            }
            if (name != null && !names.add(name)) {
                f.reject(at + ".name", "another arm already has this name");
            }
            Long verifications = f.integer(arm, "verifications", at + ".verifications", 1, MAX_VERIFICATIONS);
            String judge = f.text(arm, "judge", at + ".judge", false, 64);
            if (verifications != null && strategy != null && !BestOfN.NAME.equals(strategy)) {
                f.reject(at + ".verifications", "only a best_of_n arm buys verifications (its solutions judged)");
            }
            if (judge != null && verifications == null) {
                f.reject(at + ".judge", "names the judge of a verifying arm: give verifications too");
            }
            boolean voting = strategy != null && VOTING.contains(strategy) && verifications == null;
            Long n = f.integer(arm, "n", at + ".n", 1, 1024);
            Long maxTokens = f.integer(arm, "maxTokens", at + ".maxTokens", 1, Long.MAX_VALUE / 4);
            if (!voting && maxTokens == null && strategy != null) {
                f.reject(at + ".maxTokens", "is required for a " + (verifications != null ? "verifying" : "search")
                        + " arm: the budget one run of it may spend");
            }
            if (name == null || strategy == null) {
                continue;
            }
            int size = n == null ? 8 : n.intValue();
            String scorer = verifications == null ? null
                    : "judge:" + (judge != null ? judge : base.model()) + ":k=" + verifications;
            PipelineSpec spec = new PipelineSpec(strategy, size, base.model(), null,
                    scorer != null ? scorer : base.rewardModel(), base.sampling(), 300);
            Map<String, Object> options = normalised(f, strategy, arm.get("options"), spec, at + ".options");
            arms.add(new Arm(name, strategy, size, options, voting ? 0 : maxTokens == null ? 1 : maxTokens, voting,
                    scorer, verifications == null ? 0 : verifications.intValue()));
        }
        long voting = arms.stream().filter(Arm::voting).count();
        if (voting != 1 && f.errors().isEmpty()) {
            f.reject(path("strategies"), "needs exactly one voting arm (best_of_n or self_consistency without "
                    + "verifications), found " + voting);
        }
        return arms;
    }

    /** The arm's options as its strategy normalises them, errors renamed to the arm's path. */
    private static Map<String, Object> normalised(JsonFields f, String strategy, JsonNode options, PipelineSpec spec,
                                                  String at) {
        var own = new JsonFields();
        Object value = STRATEGIES.get(strategy).get().options(new StrategyOptions(options, own, spec, false,
                ANY, ANY, ANY));
        for (FieldError e : own.errors()) {
            f.reject(at + e.field().substring(StrategyOptions.PATH.length()), e.message());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = value == null ? Map.of() : Json.convert(value, Map.class);
        return map;
    }

    private static String path(String name) {
        return PATH + "." + name;
    }

    private static int integer(JsonFields f, JsonNode node, String name, long min, long max, int dflt) {
        Long v = f.integer(node, name, path(name), min, max);
        return v == null ? dflt : v.intValue();
    }

    private static double decimal(JsonFields f, JsonNode node, String name, double min, double max, double dflt) {
        Double v = f.decimal(node, name, path(name), min, max);
        return v == null ? dflt : v;
    }

    /** Accepts every name: pools, scorers and verifiers are the runner's platform to check. */
    private static final Set<String> ANY = new AbstractSet<>() {
        @Override
        public boolean contains(Object o) {
            return true;
        }

        @Override
        public Iterator<String> iterator() {
            return Collections.emptyIterator();
        }

        @Override
        public int size() {
            return 0;
        }
    };
}
