package dev.verigen.reward.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * All {@link Scorer} beans and the scorers of every {@link ScorerProvider}, by name; two claiming one name is a startup
 * error, not a silent override. A job may name a variant: {@code <name>:<variant>[:<variant>...]}, resolved left to
 * right by {@link Scorer#variant(String)} (e.g. {@code math-prm:min}, {@code sim-orm:pairwise}).
 */
@Component
public class ScorerRegistry {

    /** Separates a scorer's name from the variants a job asks of it; configured names may not contain it. */
    public static final String VARIANT_SEPARATOR = ":";

    private final Map<String, Scorer> byName;

    public ScorerRegistry(List<Scorer> scorers) {
        this(scorers, List.of());
    }

    @Autowired
    public ScorerRegistry(List<Scorer> scorers, List<ScorerProvider> providers) {
        List<Scorer> all = new ArrayList<>(scorers);
        providers.forEach(p -> all.addAll(p.scorers()));
        Map<String, Scorer> map = new TreeMap<>();
        for (Scorer s : all) {
            if (s.name().contains(VARIANT_SEPARATOR)) {
                throw new IllegalStateException("scorer name '" + s.name() + "' may not contain '" + VARIANT_SEPARATOR
                        + "' (it separates variants: <name>:<variant>)");
            }
            Scorer clash = map.put(s.name(), s);
            if (clash != null) {
                throw new IllegalStateException("two scorers named '" + s.name() + "': "
                        + clash.getClass().getName() + " and " + s.getClass().getName());
            }
        }
        this.byName = Map.copyOf(map);
    }

    public Optional<Scorer> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Scorer exact = byName.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        String[] parts = name.split(VARIANT_SEPARATOR, -1);
        Optional<Scorer> scorer = Optional.ofNullable(byName.get(parts[0]));
        for (int i = 1; i < parts.length && scorer.isPresent(); i++) {
            String variant = parts[i].strip();
            scorer = variant.isEmpty() ? Optional.empty() : scorer.get().variant(variant);
        }
        return scorer;
    }

    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }
}
