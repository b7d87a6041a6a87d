package dev.verigen.reward.genrm;

import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.Usage;
import dev.verigen.reward.scoring.ScorerException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the model-backed scorers share: job envelopes, waiting for results until the deadline, error mapping. */
final class ModelScorers {

    /** No result before the scoring job's deadline (or the configured wait); retryable. */
    static final String JUDGE_TIMEOUT = "judge_timeout";
    /** The job named no pool, or an invalid one, or a bad variant; not retryable. */
    static final String BAD_REQUEST = "bad_request";

    private ModelScorers() {
    }

    static String requirePool(String name, String pool) {
        if (pool == null) {
            throw new ScorerException(BAD_REQUEST, name + " needs a model pool: " + name + ":<pool>", false);
        }
        return pool;
    }

    static boolean validPool(String pool) {
        return Topics.isValidPoolName(pool);
    }

    /** A fresh job of the scoring job's run and step: attempt 1, the same deadline, no budget of its own. */
    static JobMeta meta(ScoringJob job, String replyTo) {
        JobMeta m = job.meta();
        return new JobMeta(UUID.randomUUID(), m.runId(), m.stepId(), 1, m.tenant(), null, m.deadline(), replyTo);
    }

    /**
     * Waits for every result until the scoring job's deadline. Results in hand are returned even when one failed, so
     * their usage is reported; a missing one is a {@code judge_timeout} (retryable).
     */
    static List<GenerationResult> await(GenerationClient client, List<GenerationJob> jobs,
                                        List<CompletableFuture<GenerationResult>> futures, Instant deadline,
                                        Duration fallback) {
        long until = deadline != null ? deadline.toEpochMilli() : System.currentTimeMillis() + fallback.toMillis();
        List<GenerationResult> results = new ArrayList<>(futures.size());
        Usage spent = Usage.ZERO;
        try {
            for (int i = 0; i < futures.size(); i++) {
                long left = Math.max(1, until - System.currentTimeMillis());
                GenerationResult r = futures.get(i).get(left, TimeUnit.MILLISECONDS);
                results.add(r);
                spent = spent.plus(r.usage());
            }
            return results;
        } catch (TimeoutException e) {
            jobs.forEach(j -> client.forget(j.meta().jobId()));
            throw new ScorerException(JUDGE_TIMEOUT, results.size() + " of " + futures.size()
                    + " generations answered before the deadline", true, spent);
        } catch (ExecutionException | CancellationException e) {
            jobs.forEach(j -> client.forget(j.meta().jobId()));
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ScorerException("generation_failed", "could not send a generation job: " + cause.getMessage(),
                    true, spent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jobs.forEach(j -> client.forget(j.meta().jobId()));
            throw new ScorerException(JUDGE_TIMEOUT, "interrupted while waiting for generations", true, spent);
        }
    }

    static Usage usage(List<GenerationResult> results) {
        Usage total = Usage.ZERO;
        for (GenerationResult r : results) {
            total = total.plus(r.usage());
        }
        // the wall time is the service's to measure; engine time adds up over the generations
        return new Usage(total.promptTokens(), total.completionTokens(), total.calls(), total.engineMs(), 0);
    }

    /** The first failed result becomes the scorer's error, with the usage of all results reported. */
    static void failOnError(List<GenerationResult> results) {
        for (GenerationResult r : results) {
            if (!r.ok()) {
                throw new ScorerException(r.error().code(), "generation on pool " + r.pool() + " failed: "
                        + r.error().message(), r.error().retryable(), usage(results));
            }
        }
    }
}
