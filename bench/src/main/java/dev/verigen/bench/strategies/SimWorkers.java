package dev.verigen.bench.strategies;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.Stepwise;
import dev.verigen.orchestrator.strategies.harness.Workers;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.sim.SimOrmProperties;
import dev.verigen.reward.sim.SimPrmProperties;
import dev.verigen.reward.sim.SimulatedOutcomeRewardModel;
import dev.verigen.reward.sim.SimulatedProcessRewardModel;
import dev.verigen.worker.sim.SimBackend;
import dev.verigen.worker.sim.SimProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's real components behind the in-memory runner: gpu-worker's {@code sim} engine (step-wise
 * continuation included) and reward-model-svc's {@code sim-orm} / {@code sim-prm}. Nothing waits: the engine's time is
 * only accounted. All SIMULATED: no model runs here.
 */
public final class SimWorkers implements Workers {

    private static final Pattern ANSWER = Pattern.compile("(?i)answer\\s*[:：]\\s*(-?\\d+)");

    /** A larger simulated model: the same tasks, easier for it (logit shift {@link #LARGE_DIFFICULTY}). */
    public static final String LARGE_POOL = "sim-large";
    static final double LARGE_DIFFICULTY = -1.5;

    private final SimBackend engine;
    private final SimBackend large;
    private final SimulatedOutcomeRewardModel orm;
    private final SimulatedProcessRewardModel prm;

    /**
     * Which simulated world the workers model: the engine's realism and how much the reward models share its errors.
     * {@link #STRICT} is the services' defaults (application.yml); {@link #FLAT} turns every realism property off, a
     * coin per sample and reward models with independent errors, as the simulator was before.
     */
    public record World(String name, SimProperties.Realism realism, double rewardSharedErrors) {
        public static final World STRICT = new World("strict", SimProperties.Realism.DEFAULT, 0.5);
        public static final World FLAT = new World("flat", SimProperties.Realism.OFF, 0.0);

        /** What a benchmark table says it ran with. */
        public String describe() {
            return name + " simulator (engine: " + realism.describe() + "; sim-orm and sim-prm sharedErrors "
                    + rewardSharedErrors + "; reward models read the task, never the reference)";
        }
    }

    /**
     * What a pipeline's verifier is here: {@code ORACLE} compares the stated answer with the reference (an exact
     * numeric verifier, perfect); {@code JUDGE} ignores the reference and asks the simulated model once, greedily, to
     * judge the answer (self-verification by an LLM judge: deterministic per answer, fooled by the task's
     * misconceptions, the engine's {@link SimProperties.Judge} settings).
     */
    public enum Verification { ORACLE, JUDGE }

    private static final double JUDGE_TEMPERATURE = 0.7;

    private final World world;
    private final Verification verification;
    private final java.util.concurrent.atomic.AtomicLong verifierTokens = new java.util.concurrent.atomic.AtomicLong();

    public SimWorkers(long seed) {
        this(seed, World.STRICT);
    }

    public SimWorkers(long seed, World world) {
        this(seed, world, Verification.ORACLE);
    }

    public SimWorkers(long seed, World world, Verification verification) {
        this.world = world;
        this.verification = verification;
        engine = new SimBackend(new SimProperties(seed, 4, new SimProperties.SolveRate(2.0, 2.0, 0.0), null,
                null, world.realism()), d -> { });
        // the same per-task draws shifted easier: a task hard for the small model stays harder than most for this one
        large = new SimBackend(new SimProperties(seed, 4, new SimProperties.SolveRate(2.0, 2.0, LARGE_DIFFICULTY),
                null, null, world.realism()), d -> { });
        var meters = new SimpleMeterRegistry();
        orm = new SimulatedOutcomeRewardModel(new SimOrmProperties(42, 1.5, 1.0, world.rewardSharedErrors(),
                Duration.ZERO), meters);
        prm = new SimulatedProcessRewardModel(new SimPrmProperties(42, 3.0, 1.0, 2, 2.5, world.rewardSharedErrors(),
                dev.verigen.reward.scoring.Aggregation.parse("min").orElseThrow(), "\\n", Duration.ZERO), meters);
    }

    public World world() {
        return world;
    }

    @Override
    public Generated generate(GenerationCall call) {
        SamplingParams s = call.sampling();
        List<String> stops = call.oneStep() ? List.of(Stepwise.DELIMITER) : List.of();
        var sampling = new SamplingParams(s.temperature(), s.topP(), s.maxTokens(), s.seed(), stops, s.logprobs());
        UUID job = UUID.nameUUIDFromBytes((call.label() + "|" + call.prompt() + "|" + call.partial()).getBytes());
        var meta = new JobMeta(job, new UUID(1, 1), new UUID(1, 2), 1, "bench", null, null);
        String rendered = call.prompt() + "\n" + (call.partial() == null ? "" : call.partial());
        SimBackend backend = LARGE_POOL.equals(call.pool()) ? large : engine;
        var out = backend.generate(new EngineRequest(meta, call.pool(), rendered, call.prompt(), sampling, call.n(),
                call.partial(), List.of()));
        return new Generated(out.samples(), out.usage());
    }

    @Override
    public Checked verify(String prompt, String reference, String text) {
        String answer = answer(text);
        if (verification == Verification.JUDGE) {
            Judged judged = judge(prompt, text, 1, 0.0, "verify");
            verifierTokens.addAndGet(judged.tokens());
            List<String> verdicts = judged.texts();
            return new Checked(verdicts.getFirst().endsWith("Verdict: correct") ? Verdict.Outcome.PASS
                    : Verdict.Outcome.FAIL, answer);
        }
        boolean pass = answer != null && answer.equals(reference.strip());
        return new Checked(pass ? Verdict.Outcome.PASS : Verdict.Outcome.FAIL, answer);
    }

    /**
     * Tokens the judge verifier generated and read so far (prompt + completion); the harness does not bill verifiers
     * (verifier-svc's checks are no model calls), so a bench that verifies with the judge reports them itself.
     */
    public long verifierTokens() {
        return verifierTokens.get();
    }

    /** The grader: the stated answer against the reference, whatever the pipeline's verifier is. */
    public boolean grade(String reference, String text) {
        String answer = answer(text);
        return answer != null && answer.equals(reference.strip());
    }

    private record Judged(List<String> texts, long tokens) {
    }

    /** k judge samples of the engine SIMULATOR on the judge layout reward-model-svc's judge scorer writes. */
    private Judged judge(String task, String answer, int k, double temperature, String salt) {
        String material = "Task:\n" + task + "\n\nAnswer to judge:\n" + answer;
        UUID job = UUID.nameUUIDFromBytes((salt + "|" + material).getBytes());
        var meta = new JobMeta(job, new UUID(1, 1), new UUID(1, 4), 1, "bench", null, null);
        var sampling = new SamplingParams(temperature, 1.0, 256, job.getLeastSignificantBits(), List.of(), false);
        var out = engine.generate(new EngineRequest(meta, "sim-math", material, material, sampling, k));
        return new Judged(out.samples().stream().map(GenerationResult.Sample::text).toList(),
                out.usage().totalTokens());
    }

    /** {@code judge:<pool>[:k=n]}: the share of k simulated judge samples that say "Verdict: correct", and its tokens. */
    @Override
    public Scored scoreWithUsage(String scorer, String prompt, String text) {
        if (!scorer.startsWith("judge")) {
            return new Scored(score(scorer, prompt, text), 0);
        }
        int k = 4;
        for (String part : scorer.split(":")) {
            if (part.startsWith("k=")) {
                k = Integer.parseInt(part.substring(2));
            }
        }
        Judged judged = judge(prompt, text, k, JUDGE_TEMPERATURE, "score");
        long correct = judged.texts().stream().filter(v -> v.endsWith("Verdict: correct")).count();
        return new Scored(correct / (double) k, judged.tokens());
    }

    @Override
    public double score(String scorer, String prompt, String text) {
        if (scorer.startsWith("judge")) {
            return scoreWithUsage(scorer, prompt, text).value();
        }
        String[] parts = scorer.split(":", 2);
        Scorer base = switch (parts[0]) {
            case "sim-orm" -> orm;
            case "sim-prm" -> prm;
            default -> throw new IllegalArgumentException("the benchmark simulates sim-orm, sim-prm and judge only: "
                    + scorer);
        };
        Scorer chosen = parts.length == 1 ? base : base.variant(parts[1]).orElseThrow();
        var id = UUID.nameUUIDFromBytes(text.getBytes());
        var job = new ScoringJob(new JobMeta(id, new UUID(1, 1), new UUID(1, 3), 1, "bench", null, null), scorer,
                prompt, List.of(new CandidateRef(id, text)));
        return chosen.score(job).scores().getFirst().value();
    }

    public static String answer(String text) {
        Matcher m = ANSWER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    static List<String> none() {
        return new ArrayList<>();
    }
}
