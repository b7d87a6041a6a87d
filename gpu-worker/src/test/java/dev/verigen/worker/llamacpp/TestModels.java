package dev.verigen.worker.llamacpp;

import java.nio.file.Path;

/** The small GGUF models kept in the repository's {@code models/} (see models/README.md); tests run in the module. */
final class TestModels {

    static final Path ARITH_TINY = Path.of("../models/arith-tiny.gguf");
    static final Path STORIES_260K = Path.of("../models/stories260K.gguf");

    /** The arithmetic models' training format: BOS, question, then the answer and a newline. */
    static String arithPrompt(int a, char op, int b) {
        return "Q: What is " + a + " " + op + " " + b + "? Answer with just the number.\nA: ";
    }

    private TestModels() {
    }
}
