package dev.verigen.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One fully populated instance of every message, shared with the services' tests through the test-jar. */
public final class MessageFixtures {

    private MessageFixtures() {
    }

    public static JobMeta meta() {
        return new JobMeta(UUID.fromString("00000000-0000-4000-8000-000000000001"),
                UUID.fromString("00000000-0000-4000-8000-000000000002"),
                UUID.fromString("00000000-0000-4000-8000-000000000003"), 2, "acme",
                new JobMeta.Reservation(2048, 8), Instant.parse("2026-11-24T10:15:30.123Z"));
    }

    public static SamplingParams sampling() {
        return new SamplingParams(0.7, 0.95, 128, 42L, List.of("\n\n", "</s>"), true);
    }

    public static CandidateRef candidate(int i) {
        return new CandidateRef(UUID.fromString("00000000-0000-4000-8000-00000000010" + i), "The answer is " + (40 + i));
    }

    public static List<Object> all() {
        var usage = new Usage(12, 40, 8, 230, 260);
        return List.of(
                usage,
                new JobError("engine_timeout", "engine did not answer within 30s", true),
                meta(),
                sampling(),
                new GenerationJob(meta(), GenerationJob.Role.REFINE, "sim-math", "What is 6 * 7?", sampling(), 8),
                new GenerationJob(meta(), GenerationJob.Role.GENERATE, "sim-math", "What is 6 * 7 + 1?", sampling(), 4,
                        "Step 1: 6 * 7 = 42\n", true),
                new EngineRequest(meta(), "sim-math", "<|user|>What is 6 * 7?<|assistant|>", "What is 6 * 7?", sampling(), 8),
                new EngineRequest(meta(), "sim-math", "What is 6 * 7 + 1?\nStep 1: 6 * 7 = 42\n", "What is 6 * 7 + 1?",
                        sampling(), 4, "Step 1: 6 * 7 = 42\n"),
                new GenerationResult(meta(), "sim-math", "sim",
                        List.of(new GenerationResult.Sample(0, "42", "stop", 2, -0.25),
                                new GenerationResult.Sample(1, "It is 41 ∑ ünïcode", "length", 5, null)),
                        usage, null),
                GenerationResult.failed(meta(), "sim-math", "sim", new JobError("rate_limited", "429 from engine", true), Usage.ZERO),
                new VerificationJob(meta(), new VerifierSpec("numeric", Map.of("tolerance", "1e-6")), "What is 6 * 7?", "42",
                        List.of(candidate(1), candidate(2))),
                new VerificationResult(meta(), "numeric",
                        List.of(new Verdict(candidate(1).candidateId(), Verdict.Outcome.PASS, "42", "42 == 42"),
                                new Verdict(candidate(2).candidateId(), Verdict.Outcome.ERROR, null, "no number found")),
                        Usage.ZERO, null),
                new ScoringJob(meta(), "sim-orm", "What is 6 * 7?", List.of(candidate(1))),
                new ScoringResult(meta(), "sim-orm", List.of(new Score(candidate(1).candidateId(), 0.875)),
                        new Usage(20, 0, 1, 3, 4), null));
    }
}
