package dev.verigen.orchestrator.pipelines;

import java.util.regex.Pattern;

/** The names a saved pipeline may have; they double as OpenAI model names. */
public final class PipelineNames {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private PipelineNames() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
