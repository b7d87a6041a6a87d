package dev.verigen.orchestrator.strategies.archon;

import java.util.List;

/**
 * A layer as the request wrote it, with the paths its errors are reported at.
 *
 * @param index      its position in the request
 * @param name       its name (the one given, else {@code layer-<index>})
 * @param named      whether the request named it
 * @param from       the layers it names as inputs; null when it names none (it takes the previous layer's output)
 * @param components its valid components (a layer with an invalid one is dropped from the checks that follow)
 * @param typePath   where an error about the layer's kind goes: its first component's type
 */
record WrittenLayer(int index, String name, boolean named, String namePath, List<String> from, String fromPath,
                    List<ArchonConfig.Component> components, String typePath) {

    ComponentType type() {
        return ComponentType.of(components.getFirst().type()).orElseThrow();
    }
}
