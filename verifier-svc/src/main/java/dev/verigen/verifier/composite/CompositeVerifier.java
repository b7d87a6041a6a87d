package dev.verigen.verifier.composite;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.OptionInfo;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import dev.verigen.verifier.verifiers.VerifierRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code composite}: combines other verifiers' verdicts on the same candidate and reference.
 * <p>
 * Options (strings, like every verifier's):
 * <ul>
 *   <li>{@code verifiers} (required): a JSON array of 1–{@value #MAX_CHILDREN} specs, each a name or an object
 *       ({@code [{"type":"numeric","tolerance":0.01},"exact"]}); see {@link VerifierSpecs}. Composites nest up to
 *       {@value #MAX_DEPTH} levels.</li>
 *   <li>{@code mode}: {@code all} (default), {@code any} or {@code weighted}.</li>
 *   <li>{@code weights} ({@code weighted} only): one non-negative number per child, a JSON array or comma-separated;
 *       default all 1.</li>
 *   <li>{@code threshold} ({@code weighted} only): the weighted share of passing children needed, 0–1, default 0.5.</li>
 * </ul>
 * An ERROR child is one whose verdict is unknown: the composite decides only when every way that child could have
 * gone gives the same answer, and is ERROR otherwise. So {@code all} fails on any FAIL, is ERROR when a child errs
 * and none fails, and passes when all pass; {@code any} passes on any PASS, is ERROR when a child errs and none
 * passes, and fails when all fail; {@code weighted} passes when the passing share reaches the threshold even with
 * errors counted as fails, fails when it does not even with errors counted as passes, and is ERROR in between.
 * A child that throws counts as ERROR; a child with invalid options makes the whole spec invalid.
 */
@Component
public class CompositeVerifier implements Verifier {

    public static final String TYPE = "composite";
    public static final int MAX_CHILDREN = 16;
    public static final int MAX_DEPTH = 4;
    static final double DEFAULT_THRESHOLD = 0.5;
    private static final int CHILD_EVIDENCE = 300;
    private static final int EVIDENCE = 4000;
    private static final double EPSILON = 1e-9;
    private static final Logger log = LoggerFactory.getLogger(CompositeVerifier.class);

    enum Mode { ALL, ANY, WEIGHTED }

    private record Child(String type, Verifier verifier, VerifierOptions options, Plan nested, double weight) {
    }

    private record Plan(Mode mode, List<Child> children, double threshold) {
    }

    // the registry holds this bean too, so it is looked up when first needed rather than injected
    private final Supplier<VerifierRegistry> registry;

    @Autowired
    public CompositeVerifier(ObjectProvider<VerifierRegistry> registry) {
        this((Supplier<VerifierRegistry>) registry::getObject);
    }

    /** @param registry the registry holding this verifier and its possible children, asked when first needed */
    public CompositeVerifier(Supplier<VerifierRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "combines other verifiers: all must pass, any may pass, or a weighted share of them reaches a threshold";
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return List.of(
                new OptionInfo("verifiers", "json", null, "required: JSON array of 1-" + MAX_CHILDREN
                        + " verifier specs, each a name or {\"type\": ..., options}; nests up to " + MAX_DEPTH + " levels"),
                new OptionInfo("mode", "string", "all", "all | any | weighted"),
                new OptionInfo("weights", "json", "1 per child", "weighted only: one non-negative number per child"),
                new OptionInfo("threshold", "number", String.valueOf(DEFAULT_THRESHOLD),
                        "weighted only: weighted share of passing children needed, 0-1"));
    }

    @Override
    public Verdict verify(CandidateRef candidate, String reference, VerifierOptions options) {
        return evaluate(plan(options, 1), candidate, reference);
    }

    private Plan plan(VerifierOptions options, int depth) {
        var values = options.values();
        String modeText = values.getOrDefault("mode", "all").strip().toLowerCase(Locale.ROOT);
        Mode mode = switch (modeText) {
            case "all", "" -> Mode.ALL;
            case "any" -> Mode.ANY;
            case "weighted" -> Mode.WEIGHTED;
            default -> throw new InvalidOptionException("mode", "option mode must be all, any or weighted, was '"
                    + Text.excerpt(values.get("mode"), 40) + "'");
        };
        String list = values.get("verifiers");
        if (list == null || list.isBlank()) {
            throw new InvalidOptionException("verifiers", "option verifiers is required: a JSON array of verifier specs");
        }
        JsonNode array;
        try {
            array = Json.read(list.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (Json.MalformedMessageException e) {
            throw new InvalidOptionException("verifiers", "option verifiers must be a JSON array of verifier specs");
        }
        if (array == null || !array.isArray() || array.isEmpty() || array.size() > MAX_CHILDREN) {
            throw new InvalidOptionException("verifiers",
                    "option verifiers must be a JSON array of 1 to " + MAX_CHILDREN + " verifier specs");
        }
        List<Double> weights = weights(mode, values.get("weights"), array.size());
        double threshold = threshold(mode, values.get("threshold"));

        List<Child> children = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String at = "verifiers[" + i + "]";
            try {
                VerifierSpec spec = VerifierSpecs.read(array.get(i));
                Verifier verifier = registry.get().find(spec.type()).orElseThrow(() -> new InvalidOptionException(
                        "type", "unknown verifier " + VerifierSpecs.quote(spec.type()) + "; available: "
                                + registry.get().types()));
                VerifierOptions childOptions = new VerifierOptions(spec.options());
                Plan nested = null;
                if (verifier == this) {
                    if (depth >= MAX_DEPTH) {
                        throw new InvalidOptionException("", "composites nest at most " + MAX_DEPTH + " levels deep");
                    }
                    nested = plan(childOptions, depth + 1);
                }
                children.add(new Child(spec.type(), verifier, childOptions, nested, weights.get(i)));
            } catch (InvalidOptionException e) {
                throw within(at, e);
            }
        }
        return new Plan(mode, children, threshold);
    }

    private static List<Double> weights(Mode mode, String text, int n) {
        if (text == null || text.isBlank()) {
            return java.util.Collections.nCopies(n, 1.0);
        }
        if (mode != Mode.WEIGHTED) {
            throw new InvalidOptionException("weights", "option weights applies to mode weighted only");
        }
        String inner = text.strip();
        if (inner.startsWith("[") && inner.endsWith("]")) {
            inner = inner.substring(1, inner.length() - 1);
        }
        String[] parts = inner.split(",", -1);
        if (parts.length != n) {
            throw new InvalidOptionException("weights", "option weights must hold one number per verifier ("
                    + n + "), had " + parts.length);
        }
        List<Double> weights = new ArrayList<>(n);
        double sum = 0;
        for (String part : parts) {
            double w;
            try {
                w = Double.parseDouble(part.strip());
            } catch (NumberFormatException e) {
                w = Double.NaN;
            }
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new InvalidOptionException("weights", "option weights must be non-negative numbers, was '"
                        + Text.excerpt(part, 40) + "'");
            }
            weights.add(w);
            sum += w;
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            throw new InvalidOptionException("weights", "option weights must not all be 0");
        }
        return weights;
    }

    private static double threshold(Mode mode, String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_THRESHOLD;
        }
        if (mode != Mode.WEIGHTED) {
            throw new InvalidOptionException("threshold", "option threshold applies to mode weighted only");
        }
        double t;
        try {
            t = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            t = Double.NaN;
        }
        if (!(t >= 0 && t <= 1)) {
            throw new InvalidOptionException("threshold", "option threshold must be a number from 0 to 1, was '"
                    + Text.excerpt(text, 40) + "'");
        }
        return t;
    }

    private Verdict evaluate(Plan plan, CandidateRef candidate, String reference) {
        List<Verdict> verdicts = new ArrayList<>(plan.children().size());
        for (int i = 0; i < plan.children().size(); i++) {
            Child child = plan.children().get(i);
            Verdict v;
            try {
                v = child.nested() != null
                        ? evaluate(child.nested(), candidate, reference)
                        : child.verifier().verify(candidate, reference, child.options());
            } catch (InvalidOptionException e) {
                throw within("verifiers[" + i + "]", e);
            } catch (RuntimeException e) {
                log.warn("verifier {} failed inside composite on candidate {}", child.type(), candidate.candidateId(), e);
                v = new Verdict(candidate.candidateId(), Outcome.ERROR, null, "verifier failed: "
                        + e.getClass().getSimpleName() + ": " + Text.excerpt(e.getMessage(), 200));
            }
            verdicts.add(v);
        }

        double total = 0;
        double passed = 0;
        double errored = 0;
        int passes = 0;
        int fails = 0;
        int errors = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            double w = plan.children().get(i).weight();
            total += w;
            switch (verdicts.get(i).outcome()) {
                case PASS -> { passed += w; passes++; }
                case FAIL -> fails++;
                case ERROR -> { errored += w; errors++; }
            }
        }
        Outcome outcome;
        String rule;
        switch (plan.mode()) {
            case ALL -> {
                outcome = fails > 0 ? Outcome.FAIL : errors > 0 ? Outcome.ERROR : Outcome.PASS;
                rule = "all must pass";
            }
            case ANY -> {
                outcome = passes > 0 ? Outcome.PASS : errors > 0 ? Outcome.ERROR : Outcome.FAIL;
                rule = "any may pass";
            }
            default -> {
                double low = passed / total;              // every ERROR child counted as a fail
                double high = (passed + errored) / total; // every ERROR child counted as a pass
                outcome = low + EPSILON >= plan.threshold() ? Outcome.PASS
                        : high + EPSILON < plan.threshold() ? Outcome.FAIL : Outcome.ERROR;
                rule = "weighted pass share " + share(low) + (errors > 0 ? " to " + share(high) : "")
                        + (outcome == Outcome.PASS ? " >= " : outcome == Outcome.FAIL ? " < " : " around ")
                        + "threshold " + share(plan.threshold());
            }
        }
        StringBuilder evidence = new StringBuilder()
                .append(plan.mode().name().toLowerCase(Locale.ROOT)).append(": ").append(outcome)
                .append(" (").append(rule).append("; ").append(passes).append(" pass, ").append(fails)
                .append(" fail, ").append(errors).append(" error of ").append(verdicts.size()).append(")");
        String extracted = null;
        for (int i = 0; i < verdicts.size(); i++) {
            Verdict v = verdicts.get(i);
            Child child = plan.children().get(i);
            evidence.append(i == 0 ? " — " : "; ").append('[').append(i).append("] ").append(child.type());
            if (plan.mode() == Mode.WEIGHTED) {
                evidence.append(" (w ").append(share(child.weight())).append(')');
            }
            evidence.append(": ").append(v.outcome()).append(" (").append(Text.excerpt(v.evidence(), CHILD_EVIDENCE)).append(')');
            if (extracted == null && v.extracted() != null) {
                extracted = v.extracted();
            }
        }
        return new Verdict(candidate.candidateId(), outcome, extracted, Text.excerpt(evidence.toString(), EVIDENCE));
    }

    private static InvalidOptionException within(String at, InvalidOptionException e) {
        String option = e.option() == null || e.option().isEmpty() ? at
                : e.option().startsWith("[") ? at + e.option() : at + "." + e.option();
        return new InvalidOptionException(option, at + ": " + e.getMessage());
    }

    private static String share(double d) {
        return java.math.BigDecimal.valueOf(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
