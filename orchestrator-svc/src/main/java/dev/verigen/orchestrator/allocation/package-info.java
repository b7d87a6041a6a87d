/**
 * Compute-optimal allocation of a batch's token budget across its items (after Snell et al. 2024): a pilot per
 * item, a learned difficulty estimate, learned scaling curves per difficulty bin ({@link
 * dev.verigen.orchestrator.allocation.CurveBook}), and a greedy choice of what to run next for which item
 * ({@link dev.verigen.orchestrator.allocation.ComputeOptimal}). Pure decisions over explicit state, like the
 * strategies: every purchase is an ordinary run of an existing strategy, and the state is rebuilt from finished runs.
 */
package dev.verigen.orchestrator.allocation;
