package dev.verigen.orchestrator.strategies;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Strategies by the name pipeline specs use for them. */
@Component
public class StrategyRegistry {

    private final Map<String, Strategy> byName;

    public StrategyRegistry(List<Strategy> strategies) {
        this.byName = strategies.stream()
                .collect(Collectors.toMap(Strategy::name, Function.identity(), (a, b) -> {
                    throw new IllegalStateException("two strategies named " + a.name());
                }, TreeMap::new));
    }

    public Optional<Strategy> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Strategy get(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("no strategy " + name));
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
