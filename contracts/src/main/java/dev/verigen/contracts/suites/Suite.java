package dev.verigen.contracts.suites;

import java.util.List;

/**
 * A named, versioned task suite.
 *
 * @param pool        the model pool the suite is meant for by default ({@code sim-math}, {@code arith-tiny})
 * @param kind        how every item is graded
 */
public record Suite(String name, String description, String pool, TaskKind kind, List<SuiteItem> items) {

    public Suite {
        items = List.copyOf(items);
    }
}
