package dev.verigen.orchestrator.strategies;

/** What the run is asked to solve; the reference, when given, is what verifiers check against. */
public record RunInput(String prompt, String reference) {

    public boolean hasReference() {
        return reference != null && !reference.isBlank();
    }
}
