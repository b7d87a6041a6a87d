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
 */
public record EngineOutput(List<Sample> samples, Usage usage, boolean cancelled) {

    public EngineOutput {
        samples = List.copyOf(samples);
        Objects.requireNonNull(usage, "usage");
    }

    public EngineOutput(List<Sample> samples, Usage usage) {
        this(samples, usage, false);
    }
}
