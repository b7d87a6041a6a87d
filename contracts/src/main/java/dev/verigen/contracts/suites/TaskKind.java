package dev.verigen.contracts.suites;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How an item's answers are graded against its reference. The verifier named here is verifier-svc's type that
 * checks an answer against the reference; experiments use it as ground truth.
 */
public enum TaskKind {
    /** a number: the last number of the answer against the reference, numerically */
    NUMERIC("numeric", "numeric"),
    /** SQL: the candidate query's result against the gold query's, executed in the sandbox database */
    SQL("text2sql", "sql_execution"),
    /** Python: the candidate function run against the reference's unit tests in the sandbox */
    CODE("code", "code_tests");

    private final String wireName;
    private final String verifier;

    TaskKind(String wireName, String verifier) {
        this.wireName = wireName;
        this.verifier = verifier;
    }

    public String wireName() {
        return wireName;
    }

    public String verifier() {
        return verifier;
    }

    public static Optional<TaskKind> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.wireName.equals(n) || k.name().toLowerCase(Locale.ROOT).equals(n))
                .findFirst();
    }
}
