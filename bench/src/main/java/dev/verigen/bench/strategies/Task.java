package dev.verigen.bench.strategies;

import dev.verigen.contracts.suites.Suite;
import java.util.List;

/** One question of a suite as the strategy benchmarks run it: the prompt, and the reference only the grader reads. */
public record Task(String id, String prompt, String reference) {

    public static List<Task> of(Suite suite) {
        return suite.items().stream().map(item -> new Task(item.id(), item.prompt(), item.reference())).toList();
    }
}
