package dev.verigen.contracts.simulation;

import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.contracts.suites.SimulatedAnswers;
import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.contracts.suites.TaskKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulators know about the built-in suites' stored items ({@code text2sql}, {@code code}): a task that is
 * exactly the prompt of such an item has the item's gold answer and plausible wrong answers
 * ({@link SimulatedAnswers}; verifier-svc's tests check that every gold answer passes the item's verifier and every
 * wrong one fails it). The engine simulator states them, as a short lead-in sentence and a {@code ```sql} /
 * {@code ```python} block; the simulated reward models read a candidate's last block to tell which one it states.
 * Any other task is none of this class's business.
 */
public final class SuiteAnswers {

    /** A stored suite item the simulator can answer. */
    public record Known(SuiteItem item, TaskKind kind, SimulatedAnswers answers) {

        /** The fence tag of the item's answers. */
        public String language() {
            return kind == TaskKind.SQL ? "sql" : "python";
        }
    }

    private static final List<String> SQL_LEADS = List.of(
            "This query answers the question:",
            "Here is the PostgreSQL query:",
            "The following query returns the requested result:");
    private static final List<String> CODE_LEADS = List.of(
            "Here is the function:",
            "This implementation follows the specification:",
            "The complete function:");
    private static final Pattern FENCE = Pattern.compile("```[ \\t]*([A-Za-z0-9_+-]*)[^\\n]*\\n(.*?)(?:```|\\z)",
            Pattern.DOTALL);

    private static final SuiteAnswers BUILT_IN = load();

    private final Map<String, Known> byPrompt;

    private SuiteAnswers(Map<String, Known> byPrompt) {
        this.byPrompt = Map.copyOf(byPrompt);
    }

    /** Every built-in suite that carries simulated answers, read once. */
    public static SuiteAnswers builtIn() {
        return BUILT_IN;
    }

    private static SuiteAnswers load() {
        Map<String, Known> map = new HashMap<>();
        for (String name : BuiltInSuites.names()) {
            Map<String, SimulatedAnswers> answers = SimulatedAnswers.forSuite(name);
            if (answers.isEmpty()) {
                continue; // generated suites: the arithmetic oracle answers them
            }
            var suite = BuiltInSuites.byName(name).orElseThrow();
            for (SuiteItem item : suite.items()) {
                SimulatedAnswers a = answers.get(item.id());
                if (a != null && map.put(item.prompt().strip(), new Known(item, suite.kind(), a)) != null) {
                    throw new IllegalStateException("two built-in suite items share the prompt of " + item.id());
                }
            }
        }
        return new SuiteAnswers(map);
    }

    /** The item whose prompt the task is (surrounding whitespace aside), if any. */
    public Optional<Known> find(String task) {
        return task == null ? Optional.empty() : Optional.ofNullable(byPrompt.get(task.strip()));
    }

    /** How many items the simulator can answer. */
    public int size() {
        return byPrompt.size();
    }

    /**
     * A sample's text stating {@code body} (the gold answer or one of the wrong ones): a lead-in line drawn by
     * {@code random}, then the body in the item's fenced block.
     */
    public String render(Known known, String body, SplittableRandom random) {
        List<String> leads = known.kind() == TaskKind.SQL ? SQL_LEADS : CODE_LEADS;
        String lead = leads.get(random.nextInt(leads.size()));
        return lead + "\n```" + known.language() + "\n" + body.strip() + "\n```";
    }

    /**
     * Whether {@code text} states the item's gold answer: its last {@code ```sql} / {@code ```python} block (else
     * its last fenced block, else the whole text), compared with the gold answer ignoring runs of whitespace and
     * trailing semicolons. What simulated judges, likelihoods and reward models take for "correct".
     */
    public boolean correct(Known known, String text) {
        return same(known, text, known.answers().gold());
    }

    /** Whether {@code text} states {@code body} (as {@link #correct} compares). */
    public boolean same(Known known, String text, String body) {
        return squash(answerIn(text, known.language())).equals(squash(body));
    }

    static String answerIn(String text, String language) {
        String tagged = null;
        String any = null;
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            any = m.group(2);
            String tag = m.group(1).toLowerCase(java.util.Locale.ROOT);
            if (tag.equals(language) || (language.equals("python") && tag.equals("py"))) {
                tagged = m.group(2);
            }
        }
        return tagged != null ? tagged : any != null ? any : text;
    }

    private static String squash(String s) {
        return s.strip().replaceAll("\\s+", " ").replaceAll("[\\s;]+$", "");
    }
}
