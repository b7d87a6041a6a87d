package dev.verigen.orchestrator.allocation;

import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compute-optimal test-time scaling over a batch (after Snell et al., "Scaling LLM test-time compute optimally"):
 * a cheap pilot per item estimates its difficulty; learned curves say what each further purchase is expected to add
 * for items of that difficulty; the batch budget goes, greedily, to the purchases with the most expected accuracy per
 * token ({@link Planner}). A pure decision function over explicit state: no I/O, no clock; the same state always
 * gives the same purchases.
 *
 * <p>The runner calls {@link #next} whenever runs finish and starts what it returns (each purchase's run with
 * {@code budget.maxTokens = maxTokens}); an empty answer with nothing in flight means the batch is done. Finished
 * runs' tokens plus in-flight purchases' {@code maxTokens} never exceed the batch budget. {@link #decisions} gives
 * every item's answer at any point.
 *
 * <p><b>Final answer.</b> The latest search or verifying run's own answer when one was bought (its curve is that
 * answer's accuracy); otherwise the {@link PooledVote} over all the item's voting samples, pilot included.
 */
public final class ComputeOptimal {

    private final Options options;
    private final CurveBook book;
    private final Assessor assessor;
    private final Planner planner;

    public ComputeOptimal(Options options, CurveBook book) {
        this.options = options;
        this.book = book;
        this.assessor = new Assessor(options, book);
        this.planner = new Planner(options, assessor);
    }

    private record Round(List<Purchase> purchases, Set<String> waiting, Map<String, Assessor.Assessment> assessed,
                         List<ItemView> items) {
    }

    /** The runs to start now; empty when there is nothing to buy until something in flight finishes (or ever). */
    public List<Purchase> next(BatchState state) {
        return round(state).purchases();
    }

    /** Every item's answer (or abstention) and where it stands, in batch order. */
    public Map<String, Decision> decisions(BatchState state) {
        Round round = round(state);
        Set<String> buying = new HashSet<>(round.waiting());
        round.purchases().forEach(p -> buying.add(p.itemId()));
        Map<String, Decision> out = new LinkedHashMap<>();
        for (ItemView item : round.items()) {
            Assessor.Assessment a = round.assessed().get(item.id());
            Decision.Reason reason;
            if (item.busy() || buying.contains(item.id())) {
                reason = Decision.Reason.PENDING;
            } else if (a == null || a.stop() == null) {
                reason = Decision.Reason.BUDGET;
            } else {
                reason = a.stop();
            }
            if (a == null) {
                out.put(item.id(), new Decision(item.id(), null, options.abstain(), reason, 0, 0, 0, item.spent()));
                continue;
            }
            String answer = item.search() != null && item.search().answer() != null ? item.search().answer()
                    : PooledVote.of(item.votes(), book.voteExponent()).answer();
            boolean abstained = options.abstain() && (answer == null || a.accuracy() < options.abstainBelow());
            out.put(item.id(), new Decision(item.id(), abstained ? null : answer, abstained, reason, a.bin(),
                    a.features().samples(), a.accuracy(), item.spent()));
        }
        return out;
    }

    private Round round(BatchState state) {
        List<ItemView> items = ItemView.of(state, options);
        Map<String, Assessor.Assessment> assessed = new LinkedHashMap<>();
        for (ItemView item : items) {
            if (item.piloted()) {
                assessed.put(item.id(), assessor.assess(item));
            }
        }
        long room = state.totalTokens() - state.spentTokens() - state.reservedTokens();
        boolean idle = state.inFlight().isEmpty();
        List<Purchase> purchases = new ArrayList<>();
        Set<String> waiting = new HashSet<>();
        for (Planner.Step step : planner.plan(state, items, assessed)) {
            ItemView item = step.item();
            Arm arm = step.increment() == null ? options.votingArm() : step.increment().arm();
            int samples = step.increment() == null ? options.pilotSamples() : step.increment().samples();
            long cap = arm.voting() ? assessor.votingCap(samples) : arm.maxTokens();
            double expected = arm.voting() ? assessor.votingCost(samples) : step.increment().cost();
            if (cap > room || !assessor.fitsItem(item, cap)) {
                // the batch's last tokens: nothing will come back to make room, so buy fewer samples that fit (also
                // in place of a search or verifying run, whose budget reserves far more than it is expected to spend)
                long itemRoom = options.maxTokensPerItem() <= 0 ? Long.MAX_VALUE
                        : options.maxTokensPerItem() - item.spent() - item.reserved();
                long fits = (Math.min(room, itemRoom) - options.promptTokens()) / options.sampleMaxTokens();
                // a search or verifying run that no longer fits: more samples instead, where more are allowed
                int more = arm.voting() ? samples : options.maxSamples() - item.votes().size();
                if (!idle || !purchases.isEmpty() || fits < 1 || more < 1) {
                    waiting.add(item.id());
                    continue;
                }
                arm = options.votingArm();
                samples = (int) Math.min(more, fits);
                cap = assessor.votingCap(samples);
                expected = assessor.votingCost(samples);
            }
            room -= cap;
            purchases.add(purchase(item, arm, samples, cap, expected));
        }
        if (!idle) {
            return new Round(purchases, waiting, assessed, items);
        }
        // nothing in flight: what could not be bought now never will be
        return new Round(purchases, Set.of(), assessed, items);
    }

    private Purchase purchase(ItemView item, Arm arm, int samples, long cap, double expected) {
        String tag = "r" + item.nextTag();
        long seed = seed(options.seed(), item.id(), tag);
        var sampling = new SamplingParams(options.temperature(), 1.0, options.sampleMaxTokens(), seed, List.of(), false);
        VerifierSpec verifier = arm.voting() && options.verifier() != null ? VerifierSpec.of(options.verifier()) : null;
        var spec = new PipelineSpec(arm.strategy(), arm.voting() ? samples : arm.n(), options.model(), verifier,
                arm.rewardModel(options.rewardModel()), sampling, 300, arm.options());
        return new Purchase(item.id(), tag, arm.name(), spec, cap, Math.min(cap, Math.round(expected)));
    }

    /** A stable seed per (batch seed, item, tag): distinct purchases draw distinct samples, a replay the same. */
    static long seed(long base, String item, String tag) {
        long h = base ^ 0x9e3779b97f4a7c15L;
        for (byte b : (item + "\u0000" + tag).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
