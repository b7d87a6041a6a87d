package dev.verigen.generator.jobs;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.JobError;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.Usage;
import dev.verigen.generator.GeneratorProperties;
import dev.verigen.generator.routing.PromptKeys;
import dev.verigen.generator.templates.RoleTemplates;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Decides, without touching Kafka, what a generation job becomes: an engine request for its pool, or an error result. */
public final class JobRouter {

    public static final String UNKNOWN_POOL = "unknown_pool";

    private final GeneratorProperties properties;
    private final PromptKeys keys;

    public JobRouter(GeneratorProperties properties) {
        this.properties = properties;
        this.keys = new PromptKeys(properties.keyPrefixChars());
    }

    public sealed interface Routing permits Dispatch, Reject {
    }

    /** @param key the Kafka key: a hash of the rendered prompt's prefix */
    public record Dispatch(String destination, byte[] key, EngineRequest request) implements Routing {
    }

    public record Reject(GenerationResult result) implements Routing {
    }

    public Routing route(GenerationJob job) {
        if (!Topics.isValidPoolName(job.pool())) {
            return reject(job, "invalid model pool name: " + job.pool());
        }
        var pool = properties.pool(job.pool());
        if (pool.isEmpty()) {
            return reject(job, "no model pool " + job.pool() + " is configured");
        }
        // a partial solution is the start of the assistant's turn: the samples continue it
        String prompt = pool.get().template().apply(RoleTemplates.render(job.role(), job.prompt()))
                + (job.partial() == null ? "" : job.partial());
        List<String> stops = job.oneStep()
                ? concat(pool.get().stop(), List.of(pool.get().stepDelimiter()))
                : pool.get().stop();
        // the meta (its replyTo included) travels on, so the worker answers where the job asked;
        // continuations put the engine in scoring mode: the likelihood of each after the rendered prompt
        var request = new EngineRequest(job.meta(), job.pool(), prompt, job.prompt(),
                withPoolStops(job.sampling(), stops), job.n(), job.partial(), job.continuations(), job.progressTokens());
        return new Dispatch(Topics.engineJobs(job.pool()), keys.keyOf(prompt), request);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static SamplingParams withPoolStops(SamplingParams sampling, List<String> poolStops) {
        if (poolStops.isEmpty()) {
            return sampling;
        }
        var stops = new LinkedHashSet<>(sampling.stop());
        stops.addAll(poolStops);
        return new SamplingParams(sampling.temperature(), sampling.topP(), sampling.maxTokens(), sampling.seed(),
                List.copyOf(stops), sampling.logprobs());
    }

    private static Reject reject(GenerationJob job, String message) {
        // not retryable: the same job would hit the same configuration again
        return new Reject(GenerationResult.failed(job.meta(), job.pool(), null,
                new JobError(UNKNOWN_POOL, message, false), Usage.ZERO));
    }
}
