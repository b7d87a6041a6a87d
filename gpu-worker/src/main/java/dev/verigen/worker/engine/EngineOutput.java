package dev.verigen.worker.engine;

import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.Usage;

import java.util.List;
import java.util.Objects;

/**
 * What a backend produced for one request.
 *
 * @param usage prompt/completion tokens, calls and engine time; wall time is filled in by the worker
 */
public record EngineOutput(List<Sample> samples, Usage usage) {

    public EngineOutput {
        samples = List.copyOf(samples);
        Objects.requireNonNull(usage, "usage");
    }
}
