package dev.verigen.orchestrator.strategies.archon;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Archon's component kinds, by the names its configs use. */
public enum ComponentType {
    GENERATOR(false, false, Set.of("samples")),
    CRITIC(true, true, Set.of()),
    RANKER(true, true, Set.of("topK", "useCritiques")),
    FUSER(true, false, Set.of("samples")),
    VERIFIER(true, true, Set.of("firstK", "by")),
    UNIT_TEST_GENERATOR(false, true, Set.of("unitTestCap")),
    UNIT_TEST_EVALUATOR(true, true, Set.of("topK", "firstK"));

    /** What every component takes: the model pool and its sampling. */
    static final Set<String> COMMON = Set.of("type", "pool", "temperature", "maxTokens");

    private final boolean consumesCandidates;
    private final boolean alone;
    private final Set<String> settings;

    ComponentType(boolean consumesCandidates, boolean alone, Set<String> settings) {
        this.consumesCandidates = consumesCandidates;
        this.alone = alone;
        this.settings = settings;
    }

    /** Works on the previous layers' candidates, so some generator must come before it. */
    public boolean consumesCandidates() {
        return consumesCandidates;
    }

    /** Must be the only component of its layer (Archon asserts it for these). */
    public boolean alone() {
        return alone;
    }

    /** The settings (camelCase) the component honours besides {@link #COMMON}. */
    public Set<String> settings() {
        return settings;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ComponentType> of(String configName) {
        return Arrays.stream(values()).filter(t -> t.configName().equals(configName)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ComponentType::configName).toList();
    }
}
