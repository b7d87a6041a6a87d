package dev.verigen.orchestrator.strategies.roles;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads unit tests out of a test writer's output, and how many tests an evaluator says an answer passed. */
public final class UnitTests {

    private static final Pattern MARKED = Pattern.compile(
            "(?i)^\\s*(?:[-*•]\\s+|\\d{1,3}[.)]\\s+|(?:unit\\s+)?test\\s*(?:#\\s*)?\\d{0,3}\\s*[:.)]\\s*)(.+?)\\s*$");
    private static final Pattern QUOTED = Pattern.compile("\"((?:\\\\.|[^\"\\\\])+)\"|'((?:\\\\.|[^'\\\\])+)'");
    private static final Pattern NOT_A_TEST = Pattern.compile("(?i)^\\s*(?:final\\s+)?(?:answer|verdict)\\s*[:：].*");
    private static final Pattern EVALUATION = Pattern.compile("(?i)(?:unit\\s+)?test\\s*#?\\s*(\\d{1,3})\\s*[:.)-]");

    private UnitTests() {
    }

    /**
     * The tests, at most {@code cap}: marked lines ("Test: …", "- …", "1. …"), else the quoted items of a list
     * (Archon's unit test writers answer with a Python-style list), else every plain line.
     */
    public static List<String> parse(String text, int cap) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        Set<String> tests = new LinkedHashSet<>();
        for (String line : text.lines().toList()) {
            Matcher m = MARKED.matcher(line);
            if (m.matches() && !NOT_A_TEST.matcher(m.group(1)).matches()) {
                tests.add(m.group(1));
            }
        }
        if (tests.isEmpty() && text.strip().startsWith("[")) {
            Matcher q = QUOTED.matcher(text);
            while (q.find()) {
                tests.add((q.group(1) != null ? q.group(1) : q.group(2)).strip());
            }
        }
        if (tests.isEmpty()) {
            text.lines().map(String::strip).filter(l -> !l.isEmpty() && !NOT_A_TEST.matcher(l).matches())
                    .forEach(tests::add);
        }
        return List.copyOf(new ArrayList<>(tests).subList(0, Math.min(cap, tests.size())));
    }

    /**
     * How many of {@code count} tests the evaluator marked passed ("Unit Test #2: [Passed]"); the last word on a
     * test counts. Empty when it marked none, so the caller can fall back on the verdict.
     */
    public static Optional<Integer> passed(String text, int count) {
        if (text == null) {
            return Optional.empty();
        }
        Boolean[] marks = new Boolean[count];
        boolean any = false;
        for (String line : text.lines().toList()) {
            Matcher m = EVALUATION.matcher(line);
            if (!m.find()) {
                continue;
            }
            int test = Integer.parseInt(m.group(1)) - 1;
            String rest = line.substring(m.end()).toLowerCase(Locale.ROOT);
            boolean pass = rest.contains("pass");
            boolean fail = rest.contains("fail");
            if (test >= 0 && test < count && pass != fail) {
                marks[test] = pass;
                any = true;
            }
        }
        if (!any) {
            return Optional.empty();
        }
        int passed = 0;
        for (Boolean mark : marks) {
            passed += Boolean.TRUE.equals(mark) ? 1 : 0;
        }
        return Optional.of(passed);
    }
}
