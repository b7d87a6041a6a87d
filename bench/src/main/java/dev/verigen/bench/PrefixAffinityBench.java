package dev.verigen.bench;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.Usage;
import dev.verigen.generator.GeneratorProperties;
import dev.verigen.generator.jobs.JobRouter;
import dev.verigen.generator.templates.ChatTemplate;
import dev.verigen.worker.sim.PrefixCacheProbe;
import dev.verigen.worker.sim.SimBackend;
import dev.verigen.worker.sim.SimProperties;
import org.apache.kafka.common.utils.Utils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Prefix-affinity routing against random routing, in simulated time. Requests are best-of-16 generations on long
 * prompts (a ~2,000-token shared context plus a short question); four simulated workers, each a real
 * {@link SimBackend} with its own prefix cache. Affinity routes as the platform does: generator-svc's
 * {@link JobRouter} renders the prompt and keys it by the hash of its first 512 characters, Kafka's default
 * partitioner maps the key to one of 6 partitions (murmur2), and the partitions are spread round-robin over the 4
 * workers. Random picks a seeded random worker per request. Both see the same requests in the same order.
 */
public final class PrefixAffinityBench {

    static final int PARTITIONS = 6;
    static final int WORKERS = 4;
    static final int N = 16;

    private PrefixAffinityBench() {
    }

    record Request(EngineRequest engine, byte[] key) {
    }

    record Outcome(long promptTokens, long completionTokens, long cachedTokens, long[] workerMs) {
        long makespanMs() {
            return Arrays.stream(workerMs).max().orElse(0);
        }

        long totalMs() {
            return Arrays.stream(workerMs).sum();
        }

        double tokensPerSecond() {
            return (promptTokens + completionTokens) * 1000.0 / makespanMs();
        }

        double hitRate() {
            return cachedTokens / (double) promptTokens;
        }
    }

    /** Kafka's default partitioner for a keyed record (BuiltInPartitioner.partitionForKey). */
    static int partition(byte[] key) {
        return Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
    }

    /** Round-robin assignment of the 6 partitions to the 4 workers of the pool's consumer group. */
    static int workerOf(int partition) {
        return partition % WORKERS;
    }

    static String context(int c, int tokens, long seed) {
        var random = new SplittableRandom(seed * 7919 + c);
        String[] things = {"crates", "pallets", "drums", "boxes", "rolls", "sacks", "bins", "kegs"};
        String[] places = {"Orion", "Vega", "Lyra", "Draco", "Cygnus", "Aquila", "Perseus", "Hydra"};
        var s = new StringBuilder("Inventory ledger #").append(c).append(" of depot ")
                .append(places[c % places.length]).append('.');
        int line = 1;
        while (s.length() < tokens * 4) {
            s.append("\nEntry ").append(line++).append(": bay ").append(random.nextInt(100, 1000)).append(" holds ")
                    .append(random.nextInt(1, 500)).append(' ').append(things[random.nextInt(things.length)])
                    .append(", checked by clerk ").append(places[random.nextInt(places.length)]).append('-')
                    .append(random.nextInt(10, 99)).append('.');
        }
        return s.toString();
    }

    static List<Request> requests(int contexts, int questions, int contextTokens, long seed) {
        var router = new JobRouter(new GeneratorProperties(
                Map.of("sim-math", new GeneratorProperties.Pool(ChatTemplate.PLAIN, List.of())), 512));
        var random = new SplittableRandom(seed);
        List<Request> out = new ArrayList<>();
        for (int c = 0; c < contexts; c++) {
            String ctx = context(c, contextTokens, seed);
            for (int q = 0; q < questions; q++) {
                int a = random.nextInt(10, 100);
                int b = random.nextInt(10, 100);
                String prompt = ctx + "\n\nQuestion: What is " + a + " + " + b + "?";
                long id = (long) c * questions + q;
                var meta = new JobMeta(new UUID(0xaff1L, id), Requests.RUN, Requests.STEP, 1, "bench", null, null);
                var job = new GenerationJob(meta, GenerationJob.Role.GENERATE, "sim-math", prompt,
                        Requests.sampling(seed * 1_000_003 + id), N);
                var dispatch = (JobRouter.Dispatch) router.route(job);
                out.add(new Request(dispatch.request(), dispatch.key()));
            }
        }
        // questions on one context arrive spread out, interleaved with the others
        Collections.shuffle(out, new java.util.Random(seed));
        return out;
    }

    interface Policy {
        int workerFor(Request request);
    }

    static Outcome run(List<Request> requests, Policy policy, long simSeed) {
        SimProperties config = SimBatchBench.applicationYml(simSeed);
        SimBackend[] workers = new SimBackend[WORKERS];
        PrefixCacheProbe[] probes = new PrefixCacheProbe[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            workers[w] = new SimBackend(config, d -> { });
            probes[w] = new PrefixCacheProbe(config);
        }
        long[] ms = new long[WORKERS];
        long prompt = 0;
        long completion = 0;
        long cached = 0;
        for (Request r : requests) {
            int w = policy.workerFor(r);
            cached += probes[w].cachedTokens(r.engine().prompt());
            Usage u = workers[w].generate(r.engine()).usage();
            ms[w] += u.engineMs();
            prompt += u.promptTokens();
            completion += u.completionTokens();
        }
        return new Outcome(prompt, completion, cached, ms);
    }

    public static void main(String[] argv) throws Exception {
        var args = new Args(argv, "contexts", "questions", "context-tokens", "seed");
        int[] contextCounts = Arrays.stream(args.get("contexts", "32,128").split(",")).mapToInt(Integer::parseInt).toArray();
        int questions = args.getInt("questions", 8);
        int contextTokens = args.getInt("context-tokens", 2000);
        long seed = args.getLong("seed", 1);

        var report = new Report("prefix-affinity", "Prefix-affinity routing vs random routing (simulated time)");
        report.para("Best-of-" + N + " requests on long prompts: a ~" + contextTokens + "-token context shared by "
                + questions + " questions each, shuffled (seed " + seed + "). Four simulated workers, each a real "
                + "`SimBackend` (application.yml latency settings) with its own prefix cache (4,096 blocks of 16 "
                + "tokens = 65,536 tokens). **Affinity** routes as the platform does: generator-svc's `JobRouter` "
                + "renders the prompt and keys it by `PromptKeys` (SHA-256 of the first 512 characters), Kafka's "
                + "default partitioner maps the key to one of 6 partitions (`Utils.murmur2`), partitions go "
                + "round-robin to the 4 workers (0,4→w0; 1,5→w1; 2→w2; 3→w3). **Random** picks a seeded random worker "
                + "per request. Same requests, same order, same seeds: samples are identical, only prefill differs. "
                + "Tokens/s = (prompt + completion tokens) / makespan, the busiest worker's summed engine time "
                + "(workers run in parallel); hit rate = prompt tokens found in the prefix cache / prompt tokens. "
                + "The engine's realism settings: " + SimProperties.Realism.DEFAULT.describe() + ".");
        List<List<String>> rows = new ArrayList<>();
        for (int contexts : contextCounts) {
            List<Request> requests = requests(contexts, questions, contextTokens, seed);
            var pick = new SplittableRandom(seed ^ 0x5eedL);
            Outcome random = run(requests, r -> pick.nextInt(WORKERS), 0);
            Outcome affinity = run(requests, r -> workerOf(partition(r.key())), 0);
            long distinct = requests.stream().map(r -> partition(r.key())).distinct().count();
            for (var entry : List.of(Map.entry("random", random), Map.entry("affinity", affinity))) {
                Outcome o = entry.getValue();
                boolean aff = entry.getKey().equals("affinity");
                rows.add(List.of(contexts + " × " + questions, entry.getKey(), Report.pct(o.hitRate()),
                        Report.f1(o.totalMs() / 1000.0), Report.f1(o.makespanMs() / 1000.0),
                        String.join(" / ", Arrays.stream(o.workerMs).mapToObj(m -> Report.f1(m / 1000.0)).toList()),
                        Report.f0(o.tokensPerSecond()),
                        aff ? Report.x(o.tokensPerSecond() / random.tokensPerSecond()) : "1.00×",
                        aff ? Report.x(random.totalMs() / (double) o.totalMs()) : "1.00×"));
            }
            System.err.println(contexts + " contexts use " + distinct + " of " + PARTITIONS + " partitions");
        }
        report.table(List.of("contexts × questions", "routing", "prefix-cache hit rate", "engine-s (all workers)",
                "makespan s", "per-worker engine-s", "tokens/s (makespan)", "tokens/s vs random",
                "engine work saved (random/affinity)"), rows);
        report.para("Affinity's gain is the prefill it skips; its cost is balance: 6 partitions on 4 workers give "
                + "two workers twice the keys of the others, and hashing a few dozen keys onto 6 partitions is lumpy, so the makespan "
                + "gain is smaller than the engine work saved.");
        report.emit(Report.command("prefix-affinity", argv), args.flag("write"));
    }
}
