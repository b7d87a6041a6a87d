package dev.verigen.orchestrator.openai;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A ready-made pipeline a model name can ask for: {@code <preset>/<pool>}, e.g. {@code bon-8/sim-math}. The table in
 * docs/openai.md says what each one runs.
 *
 * @param n the preset's size: samples, particles, or (beam, dvts) the beam width
 */
public record Preset(Kind kind, int n) {

    private static final Pattern SYNTAX = Pattern.compile("([a-z]+)(?:-(\\d+))?");

    /**
     * @param sized        whether the name carries an N ({@code bon-8}); {@code iad} may go without (4)
     * @param defaultN     N when the name has none
     * @param strategyMax  the most N the strategy accepts (the orchestrator's {@code max-samples} caps it too)
     */
    public enum Kind {
        SINGLE("single", false, 1, 1, "one sample (n choices = n samples)"),
        GREEDY("greedy", false, 1, 1, "one sample at temperature 0"),
        BON("bon", true, 0, Integer.MAX_VALUE, "best-of-N ranked by the pool's reward model"),
        WBON("wbon", true, 0, Integer.MAX_VALUE, "weighted best-of-N: reward mass per answer"),
        SC("sc", true, 0, Integer.MAX_VALUE, "self-consistency: majority vote over N samples"),
        WSC("wsc", true, 0, Integer.MAX_VALUE, "self-consistency weighted by the pool's reward model"),
        LSC("lsc", true, 0, Integer.MAX_VALUE, "self-consistency weighted by sequence likelihood"),
        FF("ff", true, 0, Integer.MAX_VALUE, "first finish: the first of N samples to complete"),
        BEAM("beam", true, 0, 64, "step-wise beam search, beam width N, 4 expansions, the pool's PRM"),
        DVTS("dvts", true, 0, 64, "diverse verifier tree search, N subtrees, 4 expansions, the pool's PRM"),
        PF("pf", true, 0, Integer.MAX_VALUE, "particle filtering with N particles and the pool's PRM"),
        ASTAR("astar", true, 0, 64, "A*-decoding: best-first over partial solutions, N expansions a node, the pool's PRM"),
        IAD("iad", false, 4, 256, "iterative agent decoding: N answers refined on reward feedback");

        final String prefix;
        final boolean sized;
        final int defaultN;
        final int strategyMax;
        final String summary;

        Kind(String prefix, boolean sized, int defaultN, int strategyMax, String summary) {
            this.prefix = prefix;
            this.sized = sized;
            this.defaultN = defaultN;
            this.strategyMax = strategyMax;
            this.summary = summary;
        }

        public String prefix() {
            return prefix;
        }

        /** Whether N can be part of the name; {@code single} and {@code greedy} take none. */
        public boolean takesN() {
            return sized || this == IAD;
        }

        public String summary() {
            return summary;
        }

        static Optional<Kind> byPrefix(String prefix) {
            return Arrays.stream(values()).filter(k -> k.prefix.equals(prefix)).findFirst();
        }
    }

    /** Whether {@code text} reads as a preset, well-formed or not (names like that are kept free for presets). */
    public static boolean looksLikePreset(String text) {
        Matcher m = SYNTAX.matcher(text);
        return m.matches() && Kind.byPrefix(m.group(1)).isPresent();
    }

    /**
     * @param maxSamples the orchestrator's {@code limits.max-samples}
     * @return empty when {@code text} is no preset at all
     * @throws IllegalArgumentException when it is one with a missing, unexpected or out-of-range N (says which)
     */
    public static Optional<Preset> parse(String text, int maxSamples) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<Kind> found = Kind.byPrefix(m.group(1));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Kind kind = found.get();
        String digits = m.group(2);
        if (digits == null) {
            if (kind.sized) {
                throw new IllegalArgumentException("preset '" + kind.prefix + "' needs a size, e.g. " + kind.prefix + "-8");
            }
            return Optional.of(new Preset(kind, kind.defaultN));
        }
        if (!kind.takesN()) {
            throw new IllegalArgumentException("preset '" + kind.prefix + "' takes no size");
        }
        int max = Math.min(kind.strategyMax, maxSamples);
        long n = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("the size of preset '" + kind.prefix + "' must be between 1 and " + max);
        }
        return Optional.of(new Preset(kind, (int) n));
    }

    /** The name as {@code GET /v1/models} lists it, without the pool. */
    public String name() {
        return kind.sized || (kind == Kind.IAD && n != kind.defaultN) ? kind.prefix + "-" + n : kind.prefix;
    }

    /** Whether the request's {@code n} (choices) sets the number of samples, as with OpenAI's own models. */
    public boolean samplesFollowChoices() {
        return kind == Kind.SINGLE || kind == Kind.GREEDY;
    }

    /**
     * The preset's pipeline on {@code pool}, as {@code POST /v1/runs} takes it; sampling settings are left to the
     * request (the run's defaults apply otherwise).
     */
    public ObjectNode pipeline(String pool, OpenAiProperties settings) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        String strategy = switch (kind) {
            case SINGLE, GREEDY, BON, WBON -> "best_of_n";
            case SC, WSC, LSC -> "self_consistency";
            case FF -> "first_finish";
            case BEAM -> "beam_search";
            case DVTS -> "dvts";
            case PF -> "particle_filter";
            case ASTAR -> "a_star";
            case IAD -> "iad";
        };
        p.put("strategy", strategy).put("model", pool);
        switch (kind) {
            case SINGLE -> p.put("n", 1);
            case GREEDY -> p.put("n", 1).put("temperature", 0.0);
            case BON, IAD -> p.put("n", n).put("rewardModel", settings.rewardModel(pool));
            case WBON -> {
                p.put("n", n).put("rewardModel", settings.rewardModel(pool));
                options.put("selection", "weighted");
            }
            case SC, FF -> p.put("n", n);
            case WSC -> {
                p.put("n", n).put("rewardModel", settings.rewardModel(pool));
                options.put("vote", "weighted");
            }
            case LSC -> {
                p.put("n", n);
                options.put("vote", "likelihood");
            }
            case BEAM, DVTS -> options.put("beamWidth", n).put("expansions", 4)
                    .put("prm", settings.processRewardModel(pool));
            case PF -> {
                p.put("n", n);
                options.put("prm", settings.processRewardModel(pool));
            }
            case ASTAR -> options.put("expansions", n).put("prm", settings.processRewardModel(pool));
        }
        if (!options.isEmpty()) {
            p.set("options", options);
        }
        return p;
    }
}
