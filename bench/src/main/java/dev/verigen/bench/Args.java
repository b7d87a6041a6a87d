package dev.verigen.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} and {@code --flag} arguments; unknown keys are an error so typos do not go unnoticed. */
public final class Args {

    private final Map<String, String> values = new HashMap<>();

    public Args(String[] args, String... known) {
        var allowed = java.util.Set.of(known);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            String value = "true";
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            }
            if (!allowed.contains(key) && !key.equals("write")) {
                throw new IllegalArgumentException("unknown option --" + key + " (known: --write " + String.join(" --", known) + ")");
            }
            values.put(key, value);
        }
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(values.getOrDefault(key, "false"));
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int getInt(String key, int fallback) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
    }

    long getLong(String key, long fallback) {
        return values.containsKey(key) ? Long.parseLong(values.get(key)) : fallback;
    }
}
