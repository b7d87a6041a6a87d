package dev.verigen.orchestrator.experiments.metrics;

/**
 * One point of an at-k metric (pass@k, majority@k, best-of-N@k) of an arm.
 *
 * @param value the mean over the arm's runs that drew at least k samples
 * @param runs  how many runs that mean is over: runs with fewer samples cannot say anything about k
 */
public record AtK(int k, double value, int runs) {
}
