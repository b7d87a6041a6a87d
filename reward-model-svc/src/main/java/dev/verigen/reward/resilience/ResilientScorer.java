package dev.verigen.reward.resilience;

import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.Usage;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.scoring.ScorerException;
import dev.verigen.support.resilience.ResiliencePolicy;
import dev.verigen.support.resilience.ResilientCalls;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/**
 * Any {@link Scorer} behind the shared resilience policies ({@link ResilientCalls}): retries for retryable failures
 * only (429, 5xx, connection, timeout, malformed response); non-retryable failures ({@code bad_request}) say nothing
 * about the server's health and are not counted by the breaker. Variants of the scorer ({@code name:min},
 * {@code name:pairwise}) share the scorer's policies: they call one server.
 */
public final class ResilientScorer implements Scorer, AutoCloseable {

    private final Scorer delegate;
    private final ResilientCalls<ScorerException> calls;

    /** @param meters where the policies' metrics go; null = none */
    public ResilientScorer(Scorer delegate, ResiliencePolicy config, MeterRegistry meters) {
        this.delegate = delegate;
        this.calls = new ResilientCalls<>(delegate.name(), "scorer", config, ScorerFailures.INSTANCE, meters);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    public Scorer delegate() {
        return delegate;
    }

    public CircuitBreaker.State breakerState() {
        return calls.breakerState();
    }

    @Override
    public Scored score(ScoringJob job) {
        return run(job, delegate);
    }

    /** The delegate's variant behind this scorer's policies (same server, same breaker, same bulkhead). */
    @Override
    public Optional<Scorer> variant(String variant) {
        return delegate.variant(variant).map(this::guardedView);
    }

    private Scorer guardedView(Scorer inner) {
        return new Scorer() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public Scored score(ScoringJob job) {
                return run(job, inner);
            }

            @Override
            public Optional<Scorer> variant(String next) {
                return inner.variant(next).map(ResilientScorer.this::guardedView);
            }
        };
    }

    private Scored run(ScoringJob job, Scorer target) {
        var outcome = calls.call(job.meta().deadline(), () -> target.score(job));
        Scored scored = outcome.value();
        if (outcome.failedAttemptsMs() == 0) {
            return scored;
        }
        Usage u = scored.usage();
        return new Scored(scored.scores(), new Usage(u.promptTokens(), u.completionTokens(), u.calls(),
                u.engineMs() + outcome.failedAttemptsMs(), u.wallMs()));
    }

    @Override
    public void close() {
        calls.close();
    }

    @Override
    public String toString() {
        return "ResilientScorer[" + delegate + "]";
    }
}
