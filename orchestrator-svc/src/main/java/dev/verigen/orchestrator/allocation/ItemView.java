package dev.verigen.orchestrator.allocation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One item's share of the batch state: its finished runs in purchase order, its voting samples pooled over them,
 * what it spent and what its in-flight purchases hold.
 *
 * @param search the latest finished search run, null when none
 */
record ItemView(String id, int index, List<ItemRun> runs, List<Sample> votes, boolean piloted, ItemRun search,
                int inFlight, long spent, long reserved, int nextTag) {

    static List<ItemView> of(BatchState state, Options options) {
        String voting = options.votingArm().name();
        Map<String, List<ItemRun>> runs = new LinkedHashMap<>();
        Map<String, List<Purchase>> flying = new LinkedHashMap<>();
        state.itemIds().forEach(id -> {
            runs.put(id, new ArrayList<>());
            flying.put(id, new ArrayList<>());
        });
        for (ItemRun r : state.finished()) {
            if (runs.containsKey(r.itemId())) {
                runs.get(r.itemId()).add(r);
            }
        }
        for (Purchase p : state.inFlight()) {
            if (flying.containsKey(p.itemId())) {
                flying.get(p.itemId()).add(p);
            }
        }
        List<ItemView> views = new ArrayList<>();
        int index = 0;
        for (String id : state.itemIds()) {
            List<ItemRun> mine = runs.get(id).stream().sorted(Comparator.comparingLong((ItemRun r) -> tagNumber(r.tag()))
                    .thenComparing(ItemRun::tag)).toList();
            List<Sample> votes = new ArrayList<>();
            ItemRun search = null;
            long spent = 0;
            int maxTag = -1;
            for (ItemRun r : mine) {
                spent += r.tokens();
                maxTag = (int) Math.max(maxTag, tagNumber(r.tag()));
                if (r.strategy().equals(voting)) {
                    votes.addAll(r.samples());
                } else {
                    search = r;
                }
            }
            long reserved = 0;
            for (Purchase p : flying.get(id)) {
                reserved += p.maxTokens();
                maxTag = (int) Math.max(maxTag, tagNumber(p.tag()));
            }
            boolean piloted = mine.stream().anyMatch(r -> r.strategy().equals(voting));
            views.add(new ItemView(id, index++, mine, List.copyOf(votes), piloted, search, flying.get(id).size(), spent,
                    reserved, Math.max(maxTag + 1, mine.size() + flying.get(id).size())));
        }
        return views;
    }

    /** {@code r7} → 7; tags of another form sort after every numbered one. */
    static long tagNumber(String tag) {
        if (tag.length() > 1 && tag.charAt(0) == 'r') {
            try {
                return Long.parseLong(tag.substring(1));
            } catch (NumberFormatException e) {
                return Integer.MAX_VALUE;
            }
        }
        return Integer.MAX_VALUE;
    }

    boolean busy() {
        return inFlight > 0;
    }
}
