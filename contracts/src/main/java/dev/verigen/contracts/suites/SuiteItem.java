package dev.verigen.contracts.suites;

import java.util.Objects;

/**
 * One question of a dataset, in the JSONL form experiments take ({@code {id, prompt, reference, task}}).
 *
 * @param reference the ground truth a grader compares with: a number, gold SQL, or unit tests
 * @param task      how the item is graded: {@link TaskKind}'s wire name
 * @param visible   the part of the reference a pipeline may see without being an oracle (a code item's visible
 *                  unit tests, while grading runs the hidden ones too); null when the item has none
 */
public record SuiteItem(String id, String prompt, String reference, String task, String visible) {

    public SuiteItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
    }

    public SuiteItem(String id, String prompt, String reference, String task) {
        this(id, prompt, reference, task, null);
    }

    /**
     * The visible tests of a unit-test reference: its first test function (with whatever precedes it, e.g. imports);
     * the rest stay hidden. Null when there is only one test (nothing could stay hidden).
     */
    public static String firstTest(String tests) {
        if (tests == null) {
            return null;
        }
        int first = tests.indexOf("def test_");
        int second = first < 0 ? -1 : tests.indexOf("\ndef test_", first + 1);
        return second < 0 ? null : tests.substring(0, second + 1);
    }
}
