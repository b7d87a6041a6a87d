package dev.verigen.generator.templates;

/**
 * How a model family expects a conversation to be laid out. Configured per pool
 * ({@code verigen.generator.pools.<pool>.template}); each ends where the assistant's turn begins.
 */
public enum ChatTemplate {

    /** No markup: the system text (if any), a blank line, then the user text. For base models and simulators. */
    PLAIN {
        @Override
        public String apply(ChatPrompt p) {
            return p.system() == null ? p.user() : p.system() + "\n\n" + p.user();
        }
    },

    /**
     * Question/answer lines ("Q: …\nA: ") for small base models trained on that layout, such as the arithmetic
     * GGUF models that ship with Verigen.
     */
    QA {
        @Override
        public String apply(ChatPrompt p) {
            return (p.system() == null ? "" : p.system() + "\n") + "Q: " + p.user() + "\nA: ";
        }
    },

    /** ChatML (Qwen, many fine-tunes). */
    CHATML {
        @Override
        public String apply(ChatPrompt p) {
            StringBuilder s = new StringBuilder();
            if (p.system() != null) {
                s.append("<|im_start|>system\n").append(p.system()).append("<|im_end|>\n");
            }
            return s.append("<|im_start|>user\n").append(p.user()).append("<|im_end|>\n")
                    .append("<|im_start|>assistant\n").toString();
        }
    },

    /** Llama 3 instruct. */
    LLAMA3 {
        @Override
        public String apply(ChatPrompt p) {
            StringBuilder s = new StringBuilder("<|begin_of_text|>");
            if (p.system() != null) {
                s.append(header("system")).append(p.system()).append("<|eot_id|>");
            }
            return s.append(header("user")).append(p.user()).append("<|eot_id|>")
                    .append(header("assistant")).toString();
        }

        private static String header(String role) {
            return "<|start_header_id|>" + role + "<|end_header_id|>\n\n";
        }
    };

    public abstract String apply(ChatPrompt prompt);
}
