package dev.verigen.worker.engine;

import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.Usage;

import java.util.List;
import java.util.Objects;

/**
 * What a backend produced for one request.
 *
 * @param usage     prompt/completion tokens, calls and engine time; wall time is filled in by the worker
 * @param cancelled the request was stopped before its end ({@link EngineControl#cancelled()}): the samples are what
 *                  was generated until then (finish reason {@code cancelled} where cut) and the usage what that cost
 * @param timing    how the engine time split into the wait for the first token and the tokens after it; null where the
 *                  backend cannot tell (an OpenAI-compatible server answering without streaming)
 */
public record EngineOutput(List<Sample> samples, Usage usage, boolean cancelled, Timing timing) {

    public EngineOutput {
        samples = List.copyOf(samples);
        Objects.requireNonNull(usage, "usage");
    }

    public EngineOutput(List<Sample> samples, Usage usage) {
        this(samples, usage, false, null);
    }

    public EngineOutput(List<Sample> samples, Usage usage, boolean cancelled) {
        this(samples, usage, cancelled, null);
    }

    public EngineOutput(List<Sample> samples, Usage usage, Timing timing) {
        this(samples, usage, false, timing);
    }

    /**
     * @param timeToFirstTokenMs from the request reaching the engine to its first generated token (prefill included)
     * @param interTokenMs       mean time between two generated tokens of one sequence after the first
     */
    public record Timing(double timeToFirstTokenMs, double interTokenMs) {
    }
}
