package dev.verigen.orchestrator.allocation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The greedy allocation: every item that has no pilot gets one first (difficulty cannot be estimated without it);
 * then, over the expected budget left, increments are funded in order of expected accuracy gain per token, across
 * items and arms. Funding an increment moves that item along its curve and offers its next increment, so with
 * concave curves the plan is the knapsack's greedy optimum; an item's options include jumps to every larger rung,
 * so a convex stretch (little gain from the next doubling, much from the one after) is still bought.
 *
 * <p>The plan spends the whole remaining budget on paper, but only each item's first step is bought now: after it
 * finishes the item's difficulty is estimated again from more samples and the plan is redone.
 */
final class Planner {

    /** A step to buy now: a pilot ({@code increment} null) or an item's first funded increment. */
    record Step(ItemView item, Assessor.Increment increment) {
    }

    private record Entry(Assessor.Increment increment, double accuracy, long plannedCaps) {
    }

    private final Options options;
    private final Assessor assessor;

    Planner(Options options, Assessor assessor) {
        this.options = options;
        this.assessor = assessor;
    }

    /** Pilots first (batch order), then first increments in the order the greedy funded them. */
    List<Step> plan(BatchState state, List<ItemView> items, Map<String, Assessor.Assessment> assessed) {
        List<Step> steps = new ArrayList<>();
        double room = state.totalTokens() - state.spentTokens()
                - state.inFlight().stream().mapToDouble(p -> Math.min(p.expectedTokens(), p.maxTokens())).sum();
        for (ItemView item : items) {
            if (!item.piloted() && !item.busy()) {
                steps.add(new Step(item, null));
                room -= assessor.votingCost(options.pilotSamples());
            }
        }
        Comparator<Entry> best = Comparator.comparingDouble((Entry e) -> -e.increment().ratio())
                .thenComparingInt(e -> e.increment().item().index())
                .thenComparingInt(e -> e.increment().target());
        PriorityQueue<Entry> queue = new PriorityQueue<>(best);
        for (ItemView item : items) {
            Assessor.Assessment a = assessed.get(item.id());
            if (a != null && a.stop() == null && !item.busy()) {
                a.options().stream().max(byRatio()).ifPresent(i -> queue.add(new Entry(i, a.accuracy(), 0)));
            }
        }
        Map<String, Assessor.Increment> first = new LinkedHashMap<>();
        while (!queue.isEmpty()) {
            Entry e = queue.poll();
            Assessor.Increment inc = e.increment();
            Assessor.Assessment a = assessed.get(inc.item().id());
            if (inc.cost() <= room) {
                room -= inc.cost();
                Assessor.Increment before = first.putIfAbsent(inc.item().id(), inc);
                if (before != null && before.arm().voting() && !inc.arm().voting()) {
                    // the plan ends this item with a run that answers on its own (a search or a verifying run):
                    // the voting samples planned before it would be spent for nothing, so buy that run now
                    first.put(inc.item().id(), inc);
                }
                if (inc.arm().voting()) {
                    double now = e.accuracy() + inc.gain();
                    long caps = e.plannedCaps() + inc.cap();
                    // from the new position: more samples, or a run that answers on its own instead
                    assessor.increments(inc.item(), a.stage(), a.bin(), inc.target(), now, a.ceiling()).stream()
                            .filter(i -> assessor.fitsItem(inc.item(), caps + i.cap()))
                            .max(byRatio()).ifPresent(i -> queue.add(new Entry(i, now, caps)));
                }
            } else {
                // too dear for what is left: the item's best option that still fits, if it is cheaper
                double left = room;
                int from = inc.arm().voting() ? inc.target() - inc.samples() : a.features().samples();
                assessor.increments(inc.item(), a.stage(), a.bin(), from, e.accuracy(), a.ceiling()).stream()
                        .filter(i -> i.cost() <= left && i.cost() < inc.cost())
                        .filter(i -> assessor.fitsItem(inc.item(), e.plannedCaps() + i.cap()))
                        .max(byRatio()).ifPresent(i -> queue.add(new Entry(i, e.accuracy(), e.plannedCaps())));
            }
        }
        first.values().forEach(i -> steps.add(new Step(i.item(), i)));
        return steps;
    }

    private static Comparator<Assessor.Increment> byRatio() {
        // ties: the smaller purchase (it keeps more decisions for later)
        return Comparator.comparingDouble(Assessor.Increment::ratio)
                .thenComparingDouble(i -> -i.cost());
    }
}
