package dev.verigen.e2e;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana variable query such as {@code label_values(metric, label)})
 * selects. Not a full parser: it removes what cannot hold a metric name — strings, label matchers, range and subquery
 * brackets, the label lists of {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left/right} —
 * then every identifier that is not a function call, a keyword or a number is a metric.
 */
final class PromQl {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\[\\]]*\\]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "offset", "bool", "inf", "nan", "atan2", "le");

    private PromQl() {
    }

    static Set<String> metrics(String expression) {
        String e = STRINGS.matcher(expression).replaceAll("\"\"");
        e = MATCHERS.matcher(e).replaceAll(" ");
        e = RANGES.matcher(e).replaceAll(" ");
        e = GROUPING.matcher(e).replaceAll(" ");
        // label_values(metric, label): the second argument is a label
        e = e.replaceAll("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)", " $1 ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String name = m.group(1);
            if (m.group(2) != null || KEYWORDS.contains(name.toLowerCase())) {
                continue; // a function, an aggregation, or a keyword
            }
            out.add(name);
        }
        return out;
    }
}
