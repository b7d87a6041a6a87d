package dev.verigen.orchestrator.strategies.archon;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where an Archon run stands.
 *
 * @param layer      the layer whose work is out (its position in the normalised config); -1 before the first
 * @param finalizing the last layer is done and its candidates are being verified and scored
 * @param inputs     the running layer's input candidates, in order (per-candidate jobs are labelled by position)
 * @param outputs    each finished layer's output candidates, in order, by layer name
 * @param tests      the unit tests written so far
 */
public record ArchonMemo(int layer, boolean finalizing, List<UUID> inputs, Map<String, List<UUID>> outputs,
                         List<String> tests) {

    public ArchonMemo {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        tests = tests == null ? List.of() : List.copyOf(tests);
    }

    public static ArchonMemo start() {
        return new ArchonMemo(-1, false, List.of(), Map.of(), List.of());
    }

    ArchonMemo running(int position, List<UUID> layerInputs) {
        return new ArchonMemo(position, false, layerInputs, outputs, tests);
    }

    ArchonMemo completed(int position, String name, List<UUID> output, List<String> newTests) {
        Map<String, List<UUID>> all = new LinkedHashMap<>(outputs);
        all.put(name, output);
        return new ArchonMemo(position, false, List.of(), all, newTests);
    }

    ArchonMemo toFinal() {
        return new ArchonMemo(layer, true, List.of(), outputs, tests);
    }
}
