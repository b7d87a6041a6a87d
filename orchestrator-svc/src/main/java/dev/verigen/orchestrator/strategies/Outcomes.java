package dev.verigen.orchestrator.strategies;

/** How runs end when there is nothing to answer with, worded the same by every strategy. */
public final class Outcomes {

    private Outcomes() {
    }

    /** No answer candidate exists: the first failed generation says why, if one failed. */
    public static Action.Fail noAnswer(RunState state) {
        String why = state.steps().stream()
                .filter(s -> s.kind() == StepKind.GENERATION && s.status() == RunState.Step.Status.FAILED)
                .map(s -> s.errorCode() + ": " + s.errorDetail())
                .findFirst().orElse("no candidates were generated");
        return new Action.Fail("generation_failed", why);
    }
}
