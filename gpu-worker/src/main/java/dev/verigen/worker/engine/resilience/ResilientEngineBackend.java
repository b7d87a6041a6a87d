package dev.verigen.worker.engine.resilience;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.Usage;
import dev.verigen.support.resilience.ResiliencePolicy;
import dev.verigen.support.resilience.ResilientCalls;
import dev.verigen.worker.engine.EngineBackend;
import dev.verigen.worker.engine.EngineControl;
import dev.verigen.worker.engine.EngineException;
import dev.verigen.worker.engine.EngineOutput;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Any {@link EngineBackend} behind the shared resilience policies ({@link ResilientCalls}): a time limit per attempt,
 * circuit breaker, bulkhead, and retries with jittered exponential backoff for retryable engine failures only.
 * Engine time of failed attempts is real spend: it is added to what the final attempt reports.
 */
public final class ResilientEngineBackend implements EngineBackend, AutoCloseable {

    private final EngineBackend delegate;
    private final ResilientCalls<EngineException> calls;

    /**
     * @param meters where the policies' metrics go (retries, breaker state, bulkhead permits, timeouts); null = none
     */
    public ResilientEngineBackend(EngineBackend delegate, ResiliencePolicy config, MeterRegistry meters) {
        this.delegate = delegate;
        this.calls = new ResilientCalls<>(delegate.name(), "engine backend", config, EngineFailures.INSTANCE, meters);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    public EngineBackend delegate() {
        return delegate;
    }

    public CircuitBreaker.State breakerState() {
        return calls.breakerState();
    }

    @Override
    public EngineOutput generate(EngineRequest request) {
        return generate(request, EngineControl.NONE);
    }

    /** A cancelled attempt returns what it generated (it does not throw), so a cancel is never retried. */
    @Override
    public EngineOutput generate(EngineRequest request, EngineControl control) {
        var outcome = calls.call(request.meta().deadline(), () -> delegate.generate(request, control));
        EngineOutput output = outcome.value();
        if (outcome.failedAttemptsMs() == 0) {
            return output;
        }
        Usage u = output.usage();
        return new EngineOutput(output.samples(), new Usage(u.promptTokens(), u.completionTokens(), u.calls(),
                u.engineMs() + outcome.failedAttemptsMs(), u.wallMs()), output.cancelled(), output.timing());
    }

    @Override
    public void close() {
        calls.close();
    }

    @Override
    public String toString() {
        return "ResilientEngineBackend[" + delegate + "]";
    }
}
