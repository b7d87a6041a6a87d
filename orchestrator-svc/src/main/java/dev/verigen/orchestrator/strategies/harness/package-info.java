/**
 * Runs a strategy's decision function offline, in memory, against stand-in workers: the same decisions the platform
 * makes, without Kafka or PostgreSQL. Tests use it to check strategies under chaotic delivery; benchmarks use it with
 * the simulator's engine and reward models to compare strategies' accuracy against tokens on equal seeds and budgets.
 */
package dev.verigen.orchestrator.strategies.harness;
