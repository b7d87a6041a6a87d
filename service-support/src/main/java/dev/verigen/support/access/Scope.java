package dev.verigen.support.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do. Scopes do not imply one another (an admin key that should also run needs both), except that
 * {@link #OPERATOR} counts as {@link #ADMIN} of every tenant.
 */
public enum Scope {
    /** Runs, their traces and events, chat completions, models, saved pipelines, verifications. */
    RUNS,
    /** Experiments, datasets and suites. */
    EXPERIMENTS,
    /** The key's own tenant's API keys, budget and settings (a tenant admin). */
    ADMIN,
    /**
     * The platform operator: every tenant (create and list tenants, their keys and budgets), every tenant's runs and
     * statistics, and the platform's health. Counts as {@link #ADMIN} wherever that is needed.
     */
    OPERATOR;

    /** Whether a key with {@code held} may do what needs this scope. */
    public boolean grantedBy(java.util.Collection<Scope> held) {
        return held.contains(this) || this == ADMIN && held.contains(OPERATOR);
    }

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
