package dev.verigen.verifier.verifiers;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** All {@link Verifier} beans by type; two beans claiming one type is a startup error, not a silent override. */
@Component
public class VerifierRegistry {

    private final Map<String, Verifier> byType;

    public VerifierRegistry(List<Verifier> verifiers) {
        Map<String, Verifier> map = new TreeMap<>();
        for (Verifier v : verifiers) {
            Verifier clash = map.put(v.type(), v);
            if (clash != null) {
                throw new IllegalStateException("two verifiers of type '" + v.type() + "': "
                        + clash.getClass().getName() + " and " + v.getClass().getName());
            }
        }
        this.byType = Map.copyOf(map);
    }

    public Optional<Verifier> find(String type) {
        return Optional.ofNullable(type == null ? null : byType.get(type));
    }

    public java.util.Set<String> types() {
        return new java.util.TreeSet<>(byType.keySet());
    }
}
