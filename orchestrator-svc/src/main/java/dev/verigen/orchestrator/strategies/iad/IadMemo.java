package dev.verigen.orchestrator.strategies.iad;

import java.util.List;
import java.util.UUID;

/**
 * Where the loop stands.
 *
 * @param round    0 while the first samples are out, then the refinement round in progress
 * @param phase    what the round is waiting for
 * @param bestId   the best answer when the previous round ended (null before any round ended)
 * @param stale    rounds in a row that ended without a better best answer
 * @param selected the answers this round refines, best first
 */
public record IadMemo(int round, Phase phase, UUID bestId, int stale, List<UUID> selected) {

    public enum Phase {
        /** round 0's samples and their verification and scores */
        SAMPLING,
        /** critiques of the selected answers */
        CRITIQUING,
        /** refined answers and their verification and scores */
        REFINING
    }

    public IadMemo {
        selected = selected == null ? List.of() : List.copyOf(selected);
    }

    public static IadMemo start() {
        return new IadMemo(0, Phase.SAMPLING, null, 0, List.of());
    }

    public String label(String what, int index) {
        return "iad/r" + round + "/" + what + "/" + index;
    }

    public String labelPrefix(String what) {
        return "iad/r" + round + "/" + what + "/";
    }
}
