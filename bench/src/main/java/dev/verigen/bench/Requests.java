package dev.verigen.bench;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;

import java.util.List;
import java.util.UUID;

/** Engine requests as generator-svc would send them, with fixed seeds so every run is the same. */
final class Requests {

    static final UUID RUN = new UUID(0xbe4c4L, 1);
    static final UUID STEP = new UUID(0xbe4c4L, 2);

    private Requests() {
    }

    static EngineRequest engine(long id, String prompt, String task, int n, long seed) {
        var meta = new JobMeta(new UUID(0xbe4c4L, 1000 + id), RUN, STEP, 1, "bench", null, null);
        return new EngineRequest(meta, "sim-math", prompt, task, sampling(seed), n);
    }

    static SamplingParams sampling(long seed) {
        return new SamplingParams(0.8, 1.0, 256, seed, List.of(), false);
    }
}
