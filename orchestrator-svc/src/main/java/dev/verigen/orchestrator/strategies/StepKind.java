package dev.verigen.orchestrator.strategies;

public enum StepKind { GENERATION, VERIFICATION, SCORING }
