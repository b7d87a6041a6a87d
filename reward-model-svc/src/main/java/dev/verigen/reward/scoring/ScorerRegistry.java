package dev.verigen.reward.scoring;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/** All {@link Scorer} beans by name; two beans claiming one name is a startup error, not a silent override. */
@Component
public class ScorerRegistry {

    private final Map<String, Scorer> byName;

    public ScorerRegistry(List<Scorer> scorers) {
        Map<String, Scorer> map = new TreeMap<>();
        for (Scorer s : scorers) {
            Scorer clash = map.put(s.name(), s);
            if (clash != null) {
                throw new IllegalStateException("two scorers named '" + s.name() + "': "
                        + clash.getClass().getName() + " and " + s.getClass().getName());
            }
        }
        this.byName = Map.copyOf(map);
    }

    public Optional<Scorer> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }
}
