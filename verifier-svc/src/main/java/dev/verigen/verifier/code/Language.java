package dev.verigen.verifier.code;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** A language {@code code_tests} can run, with what identifies it in fences and in test sources. */
public enum Language {

    PYTHON("python", "solution.py", Set.of("python", "py", "python3", "py3"),
            Pattern.compile("^(?:async[ \\t]+)?def[ \\t]+(test_\\w*)[ \\t]*\\(", Pattern.MULTILINE),
            Pattern.compile("[A-Za-z_][A-Za-z0-9_]*")),
    JAVASCRIPT("javascript", "solution.js", Set.of("javascript", "js", "node", "nodejs", "mjs", "cjs"),
            Pattern.compile("^(?:async[ \\t]+)?function[ \\t]*\\*?[ \\t]*(test_[\\w$]*)[ \\t]*\\("
                    + "|^(?:const|let|var)[ \\t]+(test_[\\w$]*)[ \\t]*=", Pattern.MULTILINE),
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*"));

    private final String id;
    private final String solutionFile;
    private final Set<String> fenceTags;
    private final Pattern testFunction;
    private final Pattern identifier;

    Language(String id, String solutionFile, Set<String> fenceTags, Pattern testFunction, Pattern identifier) {
        this.id = id;
        this.solutionFile = solutionFile;
        this.fenceTags = fenceTags;
        this.testFunction = testFunction;
        this.identifier = identifier;
    }

    public String id() {
        return id;
    }

    String solutionFile() {
        return solutionFile;
    }

    /** Whether a fence's info string (```python, ```js …) names this language. */
    boolean tagged(String info) {
        return fenceTags.contains(info.toLowerCase(Locale.ROOT));
    }

    /** Top-level {@code test_*} functions of a test source, at the start of a line. */
    Pattern testFunction() {
        return testFunction;
    }

    boolean isIdentifier(String s) {
        return identifier.matcher(s).matches();
    }

    public static Optional<Language> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "python", "python3", "py" -> Optional.of(PYTHON);
            case "javascript", "js", "node" -> Optional.of(JAVASCRIPT);
            default -> Optional.empty();
        };
    }
}
