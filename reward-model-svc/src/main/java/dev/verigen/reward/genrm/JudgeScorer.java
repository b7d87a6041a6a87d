package dev.verigen.reward.genrm;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.scoring.ScorerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@code judge:<pool>[:k=<samples>]}: LLM-as-judge (generative reward model). For each candidate one generation job
 * of role {@code JUDGE} (generator-svc's template asks for a final "Verdict: correct" / "Verdict: incorrect") with
 * {@code n = k} samples at the configured temperature; the candidate's score is the share of samples whose last verdict
 * is "correct". All candidates' jobs run at once. Usage is the sum of the judge generations' — real tokens and calls.
 *
 * <p>The judge's prompt is {@code "Task:\n<task>\n\nAnswer to judge:\n<candidate>"}; the engine simulator recognises
 * this layout and answers with SIMULATED verdicts.
 */
@Component
public class JudgeScorer implements Scorer {

    public static final String NAME = "judge";
    static final Pattern VERDICT = Pattern.compile("(?i)verdict\\s*[:：]\\s*\\**\\s*(correct|incorrect)\\b");

    private final GenerationClient client;
    private final GenRmProperties properties;
    private final String pool;
    private final int k;

    @Autowired
    public JudgeScorer(GenerationClient client, GenRmProperties properties) {
        this(client, properties, null, properties.judgeK());
    }

    private JudgeScorer(GenerationClient client, GenRmProperties properties, String pool, int k) {
        this.client = client;
        this.properties = properties;
        this.pool = pool;
        this.k = k;
    }

    @Override
    public String name() {
        return NAME;
    }

    int k() {
        return k;
    }

    @Override
    public Optional<Scorer> variant(String variant) {
        if (variant.startsWith("k=")) {
            try {
                int samples = Integer.parseInt(variant.substring(2));
                return samples >= 1 && samples <= properties.maxK()
                        ? Optional.of(new JudgeScorer(client, properties, pool, samples)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        if (pool == null && ModelScorers.validPool(variant)) {
            return Optional.of(new JudgeScorer(client, properties, variant, k));
        }
        return Optional.empty();
    }

    /**
     * The judge samples per candidate the job's reservation pays for: the orchestrator reserves k model calls per
     * candidate for the k it knows of (the scorer's {@code k=}, else its default of 4), so a larger k configured here
     * ({@code judge-k}) is cut to what was reserved rather than spending calls and tokens nobody reserved. A job
     * that reserved nothing (sent by hand, or by a platform before reservations) keeps k.
     */
    static int affordableK(int k, ScoringJob job) {
        long calls = job.meta().reservation().calls();
        int candidates = Math.max(1, job.candidates().size());
        return calls <= 0 ? k : (int) Math.max(1, Math.min(k, calls / candidates));
    }

    static String judgePrompt(String task, String candidate) {
        return "Task:\n" + task + "\n\nAnswer to judge:\n" + candidate;
    }

    /** Whether a judge sample's last verdict is "correct"; no verdict counts as not correct. */
    static boolean saysCorrect(String text) {
        String last = null;
        Matcher m = VERDICT.matcher(text);
        while (m.find()) {
            last = m.group(1);
        }
        return "correct".equalsIgnoreCase(last);
    }

    @Override
    public Scored score(ScoringJob job) {
        String target = ModelScorers.requirePool(NAME, pool);
        // the run's seed, when it has one: the judge prompt differs per candidate, so the candidates still draw apart
        var sampling = new SamplingParams(properties.judgeTemperature(), 1.0, properties.judgeMaxTokens(), job.seed(),
                List.of(), false);
        int samples = affordableK(k, job);
        List<GenerationJob> jobs = new ArrayList<>();
        List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
        for (CandidateRef candidate : job.candidates()) {
            var generation = new GenerationJob(ModelScorers.meta(job, client.replyTopic()), GenerationJob.Role.JUDGE,
                    target, judgePrompt(job.prompt(), candidate.text()), sampling, samples);
            jobs.add(generation);
            futures.add(client.submit(generation));
        }
        List<GenerationResult> results = ModelScorers.await(client, jobs, futures, job.meta().deadline(),
                properties.defaultTimeout());
        ModelScorers.failOnError(results);
        List<Score> scores = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            List<GenerationResult.Sample> judged = results.get(i).samples();
            if (judged.isEmpty()) {
                throw new ScorerException("malformed_response", "the judge returned no samples", true,
                        ModelScorers.usage(results));
            }
            long correct = judged.stream().filter(s -> saysCorrect(s.text())).count();
            scores.add(new Score(job.candidates().get(i).candidateId(), correct / (double) judged.size()));
        }
        return new Scored(scores, ModelScorers.usage(results));
    }
}
