package dev.verigen.orchestrator.experiments.grading;

import dev.verigen.contracts.suites.SuiteItem;

/** Ground truth: whether a text answers the item correctly, judged against the item's reference. */
public interface Grader {

    /**
     * @param answer the text's normalised final answer ({@code Answers.extract}), or null
     * @return null when the item has no reference (nothing to grade against)
     */
    Boolean correct(SuiteItem item, String text, String answer);
}
