package dev.verigen.contracts.suites;

import java.util.Objects;

/**
 * One question of a dataset, in the JSONL form experiments take ({@code {id, prompt, reference, task}}).
 *
 * @param reference the ground truth a grader compares with: a number, gold SQL, or unit tests
 * @param task      how the item is graded: {@link TaskKind}'s wire name
 */
public record SuiteItem(String id, String prompt, String reference, String task) {

    public SuiteItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
    }
}
