package dev.verigen.gateway.access;

import dev.verigen.support.access.Scope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** Which paths are public and which scope a path needs, compiled once from {@link AccessProperties}. */
@Component
public class AccessPolicy {

    private record Rule(PathPattern pattern, Scope scope) {
    }

    private final List<PathPattern> publicPaths;
    private final List<Rule> rules;

    public AccessPolicy(AccessProperties properties) {
        PathPatternParser parser = PathPatternParser.defaultInstance;
        this.publicPaths = properties.publicPaths().stream().map(parser::parse).toList();
        List<Rule> compiled = new ArrayList<>();
        properties.scopes().forEach((name, patterns) -> {
            Scope scope = Scope.fromWire(name).orElseThrow(() -> new IllegalArgumentException(
                    "verigen.gateway.access.scopes: unknown scope '" + name + "' (known: runs, experiments, admin)"));
            patterns.forEach(p -> compiled.add(new Rule(parser.parse(p), scope)));
        });
        // most specific first, so a narrower pattern can carve a path out of a broader one of another scope
        compiled.sort(Comparator.comparing(Rule::pattern, PathPattern.SPECIFICITY_COMPARATOR));
        this.rules = List.copyOf(compiled);
    }

    public boolean isPublic(PathContainer path) {
        for (PathPattern pattern : publicPaths) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** The scope a key needs for {@code path}; empty when any valid key will do. */
    public Optional<Scope> requiredScope(PathContainer path) {
        for (Rule rule : rules) {
            if (rule.pattern().matches(path)) {
                return Optional.of(rule.scope());
            }
        }
        return Optional.empty();
    }
}
