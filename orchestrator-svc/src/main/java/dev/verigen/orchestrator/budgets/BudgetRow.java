package dev.verigen.orchestrator.budgets;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One budget row as stored: caps (null = no cap), what is spent and what jobs in flight hold. */
public record BudgetRow(UUID id, Long maxTokens, Long maxCalls, Double maxFlops, long usedTokens, long usedCalls,
                        double usedFlops, long reservedTokens, long reservedCalls, double reservedFlops) {

    public Amount used() {
        return new Amount(usedTokens, usedCalls, usedFlops);
    }

    public Amount reserved() {
        return new Amount(reservedTokens, reservedCalls, reservedFlops);
    }

    /** This row with {@code more} reserved on it as well. */
    BudgetRow plusReserved(Amount more) {
        return new BudgetRow(id, maxTokens, maxCalls, maxFlops, usedTokens, usedCalls, usedFlops,
                reservedTokens + more.tokens(), reservedCalls + more.calls(), reservedFlops + more.flops());
    }

    /** Room left under each cap; a spent-past cap (lowered below what was spent) has none left. */
    public Reservation.Remaining remaining() {
        return new Reservation.Remaining(
                maxTokens == null ? null : Math.max(0, maxTokens - usedTokens - reservedTokens),
                maxCalls == null ? null : Math.max(0, maxCalls - usedCalls - reservedCalls),
                maxFlops == null ? null : Math.max(0, maxFlops - usedFlops - reservedFlops));
    }

    /** The units this row has too little room for, as the reserving UPDATE checks them. */
    List<Reservation.Unit> refusing(Amount wanted) {
        List<Reservation.Unit> out = new ArrayList<>();
        if (maxTokens != null && usedTokens + reservedTokens + wanted.tokens() > maxTokens) {
            out.add(Reservation.Unit.TOKENS);
        }
        if (maxCalls != null && usedCalls + reservedCalls + wanted.calls() > maxCalls) {
            out.add(Reservation.Unit.CALLS);
        }
        if (maxFlops != null && usedFlops + reservedFlops + wanted.flops() > maxFlops) {
            out.add(Reservation.Unit.FLOPS);
        }
        return out;
    }
}
