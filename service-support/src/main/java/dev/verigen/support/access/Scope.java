package dev.verigen.support.access;

import java.util.Locale;
import java.util.Optional;

/** What an API key may do. Scopes do not imply one another: an admin key that should also run needs both. */
public enum Scope {
    /** Runs, their traces and events, chat completions, models, saved pipelines, verifications. */
    RUNS,
    /** Experiments, datasets and suites. */
    EXPERIMENTS,
    /** Tenants, API keys and tenant budgets, for every tenant of the platform. */
    ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> fromWire(String s) {
        for (Scope scope : values()) {
            if (scope.wire().equals(s)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
