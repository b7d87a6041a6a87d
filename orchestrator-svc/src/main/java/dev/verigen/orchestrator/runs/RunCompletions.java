package dev.verigen.orchestrator.runs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells the clients waiting on a run ({@code GET /v1/runs/{id}?wait=…}) that it ended, so none of them polls. A run
 * that ends in this instance wakes its waiters as soon as the transaction that ended it commits (never before: a waiter
 * must read the final state); a run that ended in another instance is found by a sweep that asks PostgreSQL about
 * every run waited on here, once a second, in one query. A waiter holds no thread: its callback runs on a virtual
 * thread when the run ends.
 */
@Component
public class RunCompletions implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RunCompletions.class);

    private final Map<UUID, List<Runnable>> waiters = new ConcurrentHashMap<>();
    /** Registrations not closed yet: woken ones count until their request is answered. */
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private final JdbcClient jdbc;

    public RunCompletions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A waiter's registration; {@link #close()} forgets it (the request answered or timed out). */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Calls {@code onEnd} once, on another thread, when the run is seen to have ended (unless closed first). */
    public Registration await(UUID runId, Runnable onEnd) {
        Runnable once = new Once(onEnd);
        open.incrementAndGet();
        waiters.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>()).add(once);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
                waiters.computeIfPresent(runId, (id, list) -> {
                    list.remove(once);
                    return list.isEmpty() ? null : list;
                });
            }
        };
    }

    /** The run ended in the current transaction: its waiters wake once it commits (right away without one). */
    public void ended(UUID runId) {
        // registered whether or not anyone waits yet: a waiter may arrive before the commit, read RUNNING and wait
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake(runId);
                }
            });
        } else {
            wake(runId);
        }
    }

    /** Requests waiting here now (registered and not yet closed). */
    public int waiting() {
        return open.get();
    }

    private void wake(UUID runId) {
        List<Runnable> list = waiters.remove(runId);
        if (list != null) {
            list.forEach(callbacks::execute);
        }
    }

    /** Runs ended by another instance (or by a transaction that registered no waiter yet) wake here. */
    @Scheduled(fixedDelayString = "${verigen.orchestrator.run-wait-sweep-interval:1s}")
    void sweep() {
        Set<UUID> ids = Set.copyOf(waiters.keySet());
        if (ids.isEmpty()) {
            return;
        }
        try {
            jdbc.sql("select id from runs where id = any(string_to_array(:ids, ',')::uuid[]) and status <> 'RUNNING'")
                    .param("ids", String.join(",", ids.stream().map(UUID::toString).toList()))
                    .query(UUID.class).list()
                    .forEach(this::wake);
        } catch (RuntimeException e) {
            log.warn("could not check the runs waited on: {}", e.getMessage());
        }
    }

    @Override
    public void destroy() {
        callbacks.shutdownNow();
    }

    /** A callback that runs at most once however many times the run is reported ended. */
    private static final class Once implements Runnable {
        private final Runnable task;
        private final AtomicBoolean done = new AtomicBoolean();

        Once(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                task.run();
            }
        }
    }
}
