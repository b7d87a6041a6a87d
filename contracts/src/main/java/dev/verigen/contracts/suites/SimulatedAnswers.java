package dev.verigen.contracts.suites;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * SIMULATED answers to one item of a built-in suite, for the engine simulator (gpu-worker's {@code sim} backend): the
 * gold answer a "solving" sample states, and plausible wrong answers a "failing" one states instead. They are
 * stored in the suite's resource next to the item ({@code solution}, {@code wrong}); for {@code text2sql} the gold
 * answer is the reference query itself. Every gold answer passes the item's grader and every wrong one fails it
 * (checked against the real verifiers by verifier-svc's tests). Generated suites ({@code arith}, {@code sim-math})
 * have none: the simulator solves arithmetic itself.
 *
 * @param id    the item's {@link SuiteItem#id()}
 * @param gold  SQL or Python source that passes the item's grader
 * @param wrong SQL or Python source that fails it, each a mistake a model could make
 */
public record SimulatedAnswers(String id, String gold, List<String> wrong) {

    public SimulatedAnswers {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(gold, "gold");
        wrong = List.copyOf(wrong);
    }

    /** The answers of every item of a built-in suite, by item id in suite order; empty for suites without any. */
    public static Map<String, SimulatedAnswers> forSuite(String suite) {
        return switch (suite == null ? "" : suite) {
            case BuiltInSuites.TEXT2SQL -> Stored.TEXT2SQL.answers();
            case BuiltInSuites.CODE -> Stored.CODE.answers();
            default -> Map.of();
        };
    }

    static Map<String, SimulatedAnswers> byId(List<SimulatedAnswers> answers) {
        Map<String, SimulatedAnswers> map = new LinkedHashMap<>();
        for (SimulatedAnswers a : answers) {
            if (map.put(a.id(), a) != null) {
                throw new IllegalStateException("two simulated answers for item " + a.id());
            }
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
