package dev.verigen.worker.jobs;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationProgress;
import dev.verigen.worker.engine.EngineControl;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The jobs this worker is running, so a cancel ({@code CancelJobs}) can reach them, and the jobs cancelled before they
 * started here (a cancel can overtake its job: they travel on different topics), so those answer at once.
 */
public final class InFlightJobs {

    /** How many early cancels are remembered; older ones are forgotten (their jobs then run, and settle as usual). */
    static final int REMEMBERED = 10_000;

    private final String pool;
    private final String backend;
    private final Map<UUID, Running> running = new ConcurrentHashMap<>();
    private final Set<UUID> cancelledEarly = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    /** @param pool and @param backend name this worker in the progress it reports */
    public InFlightJobs(String pool, String backend) {
        this.pool = pool;
        this.backend = backend;
    }

    /**
     * Registers a job about to run; its control reports progress to {@code progress} (when the request asked for
     * it) and is already cancelled when a cancel came first.
     */
    public Running start(EngineRequest request, Consumer<GenerationProgress> progress) {
        UUID id = request.meta().jobId();
        Running job = new Running(request, progress, pool, backend);
        running.put(id, job);
        if (cancelledEarly.remove(id)) {
            job.cancel();
        }
        return job;
    }

    public void finish(Running job) {
        running.remove(job.request.meta().jobId(), job);
    }

    /** Cancels the jobs running here; the others are remembered, in case they arrive later. */
    public void cancel(Collection<UUID> jobIds) {
        for (UUID id : jobIds) {
            Running job = running.get(id);
            if (job != null) {
                job.cancel();
            } else {
                cancelledEarly.add(id);
            }
        }
    }

    int running() {
        return running.size();
    }

    /** Whether a cancel for this job came before the job did (and is kept for it). */
    boolean remembersCancelOf(UUID jobId) {
        return cancelledEarly.contains(jobId);
    }

    /** One job's control: cancelled once a cancel for it arrives. */
    public static final class Running implements EngineControl {
        private final EngineRequest request;
        private final Consumer<GenerationProgress> progress;
        private final String pool;
        private final String backend;
        private volatile boolean cancelled;

        Running(EngineRequest request, Consumer<GenerationProgress> progress, String pool, String backend) {
            this.request = request;
            this.progress = progress;
            this.pool = pool;
            this.backend = backend;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        @Override
        public void progress(int sample, String text, long tokens) {
            if (request.progressTokens() > 0 && !cancelled) {
                progress.accept(new GenerationProgress(request.meta(), pool, backend, sample, text, tokens));
            }
        }
    }
}
