package dev.verigen.orchestrator.budgets;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** What came of asking the budgets for room for a job. */
public sealed interface Reservation {

    /**
     * The run's budget and, when the tenant has one, the tenant's hold the amount now.
     *
     * @param tenantBudgetId the tenant budget row that holds it too; null when the tenant has none
     */
    record Granted(UUID tenantBudgetId) implements Reservation {
    }

    /**
     * Nothing is held: a budget had no room.
     *
     * @param scope  which budget refused
     * @param units  the units it had too little of
     * @param needed what the job needed
     * @param left   what that budget had left, per unit (null for a unit without a cap)
     */
    record Refused(Scope scope, List<Unit> units, Amount needed, Remaining left) implements Reservation {

        public Refused {
            units = List.copyOf(units);
        }

        /** e.g. "tenant budget: tokens (needs 1306, 200 left)". */
        public String describe() {
            StringBuilder out = new StringBuilder(scope.label()).append(" budget: ");
            for (int i = 0; i < units.size(); i++) {
                Unit unit = units.get(i);
                out.append(i == 0 ? "" : ", ").append(unit.label()).append(" (needs ").append(unit.format(needed))
                        .append(", ").append(left.format(unit)).append(" left)");
            }
            return out.toString();
        }
    }

    enum Scope {
        RUN, TENANT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum Unit {
        TOKENS, CALLS, FLOPS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        String format(Amount amount) {
            return switch (this) {
                case TOKENS -> Long.toString(amount.tokens());
                case CALLS -> Long.toString(amount.calls());
                case FLOPS -> String.format(Locale.ROOT, "%.4g", amount.flops());
            };
        }
    }

    /** What a budget row has left under its caps; null where it has no cap. */
    record Remaining(Long tokens, Long calls, Double flops) {

        String format(Unit unit) {
            return switch (unit) {
                case TOKENS -> String.valueOf(tokens);
                case CALLS -> String.valueOf(calls);
                case FLOPS -> flops == null ? "null" : String.format(Locale.ROOT, "%.4g", flops);
            };
        }
    }
}
