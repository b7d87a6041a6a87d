package dev.verigen.worker.jobs;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.SamplingParams;
import java.nio.charset.StandardCharsets;

/**
 * Asks the engine for no more than the job reserved (issue 16). The orchestrator reserves a bound of the prompt's
 * tokens plus {@code n × maxTokens}; a prompt that grew on its way here (a role template longer than the room the
 * orchestrator left for templates) would otherwise spend tokens nobody reserved. The prompt's length in UTF-8 bytes
 * bounds its tokens under any tokenizer (byte-level fallback), so capping each sample at
 * {@code (reserved − prompt bytes) / n} keeps the job's usage within its reservation. Jobs that reserved nothing
 * (sent by hand) and scoring requests (which generate nothing) are left as they are.
 */
final class ReservationCap {

    private ReservationCap() {
    }

    static EngineRequest fit(EngineRequest request) {
        long reserved = request.meta().reservation().tokens();
        if (reserved <= 0 || request.scoringMode() || request.n() <= 0) {
            return request;
        }
        long read = bytes(request.prompt()) + bytes(request.partial());
        long perSample = (reserved - read) / request.n();
        SamplingParams s = request.sampling();
        if (perSample >= s.maxTokens()) {
            return request;
        }
        int capped = (int) Math.max(1, perSample);
        return new EngineRequest(request.meta(), request.pool(), request.prompt(), request.task(),
                new SamplingParams(s.temperature(), s.topP(), capped, s.seed(), s.stop(), s.logprobs()), request.n(),
                request.partial(), request.continuations(), request.progressTokens());
    }

    private static long bytes(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
