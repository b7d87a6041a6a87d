package dev.verigen.orchestrator.strategies.harness;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny seeded task model for strategy tests, not a language model: a solution has {@code steps} steps, each right
 * with probability {@code stepSkill} unless an earlier one slipped; the answer is the reference only if every step
 * was right (else a wrong number drawn from a few plausible ones, so wrong answers collide and votes can mislead).
 * Texts look like the simulator's: "Step k: ok" / "Step k: slip" lines then "Answer: n". The PRM sees slips
 * through noise; critique, refine, fuse and rank roles answer in kind.
 */
public final class ToyWorkers implements Workers {

    private static final Pattern ANSWER = Pattern.compile("Answer:\\s*(-?\\d+)");
    private final int steps;
    private final double stepSkill;
    private final double prmNoise;
    private final long reference;

    public ToyWorkers(int steps, double stepSkill, double prmNoise, long reference) {
        this.steps = steps;
        this.stepSkill = stepSkill;
        this.prmNoise = prmNoise;
        this.reference = reference;
    }

    @Override
    public Generated generate(GenerationCall call) {
        List<Sample> samples = new ArrayList<>();
        long completion = 0;
        for (int i = 0; i < call.n(); i++) {
            long seed = call.sampling().seed() == null ? 0 : call.sampling().seed();
            SplittableRandom random = new SplittableRandom(seed * 31 + i * 1_000_003L
                    + (call.partial() == null ? 0 : call.partial().hashCode()) + call.prompt().hashCode());
            String text = switch (call.role()) {
                case GENERATE -> solve(call.partial(), call.oneStep(), random);
                case REFINE, FUSE -> solve(null, false, new SplittableRandom(random.nextLong()),
                        Math.min(0.99, stepSkill + 0.05));
                case CRITIQUE, JUDGE -> "The solution " + (call.prompt().contains("slip") ? "has a slip." : "looks fine.")
                        + "\nVerdict: " + (call.prompt().contains("slip") ? "incorrect" : "correct");
                case RANK -> "Ranking: 1, 2, 3";
            };
            samples.add(new Sample(i, text, "stop", Math.max(1, text.length() / 4), -0.1 * text.length()));
            completion += Math.max(1, text.length() / 4);
        }
        long prompt = call.prompt().length() / 4 + (call.partial() == null ? 0 : call.partial().length() / 4);
        return new Generated(samples, new Usage(prompt, completion, call.n(), 1, 1));
    }

    private String solve(String partial, boolean oneStep, SplittableRandom random) {
        return solve(partial, oneStep, random, stepSkill);
    }

    private String solve(String partial, boolean oneStep, SplittableRandom random, double skill) {
        String before = partial == null ? "" : partial;
        int done = (int) before.lines().filter(l -> l.startsWith("Step ")).count();
        boolean slipped = before.contains("slip");
        StringBuilder out = new StringBuilder();
        for (int k = done + 1; k <= steps; k++) {
            boolean ok = !slipped && random.nextDouble() < skill;
            slipped |= !ok;
            out.append("Step ").append(k).append(ok ? ": ok" : ": slip");
            if (oneStep) {
                return out.toString();
            }
            out.append('\n');
        }
        long answer = slipped ? reference + 1 + random.nextInt(3) : reference;
        return out + "Answer: " + answer;
    }

    @Override
    public Checked verify(String prompt, String reference, String text) {
        String answer = answer(text);
        if (answer == null) {
            return new Checked(Verdict.Outcome.FAIL, null);
        }
        return new Checked(answer.equals(reference.strip()) ? Verdict.Outcome.PASS : Verdict.Outcome.FAIL, answer);
    }

    @Override
    public double score(String scorer, String prompt, String text) {
        SplittableRandom random = new SplittableRandom(text.hashCode() * 17L + scorer.hashCode());
        double noise = (random.nextDouble() - 0.5) * 2 * prmNoise;
        boolean bad = text.contains("slip") || (answer(text) != null && !answer(text).equals(Long.toString(this.reference)));
        return Math.max(0, Math.min(1, (bad ? 0.25 : 0.75) + noise));
    }

    static String answer(String text) {
        Matcher m = ANSWER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }
}
