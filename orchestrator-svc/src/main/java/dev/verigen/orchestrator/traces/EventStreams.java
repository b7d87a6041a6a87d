package dev.verigen.orchestrator.traces;

import dev.verigen.orchestrator.traces.EventLog.Event;
import dev.verigen.orchestrator.traces.EventLog.RunEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams runs' event logs to clients as server-sent events, and to any other {@link EventSink} (the OpenAI facade
 * waits for runs this way). One poller thread serves every open stream with one
 * query per interval (each stream's run, after the last event it was sent), and sleeps while no stream is open;
 * sending happens on virtual threads, one batch per stream at a time, so a slow client holds up nobody else. Idle
 * streams get a heartbeat; every stream ends after {@code run.finished}, SSE streams also after their maximum
 * lifetime.
 * <p>
 * Polling rather than LISTEN/NOTIFY: a NOTIFY in every event-writing transaction would serialise the commits of the
 * whole engine on PostgreSQL's notification queue lock, to save a query per interval that is only made while
 * someone is watching.
 */
@Component
public class EventStreams implements SmartLifecycle {

    static final String FINISHED = "run.finished";
    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
    private static final int PAGE = 500;

    private final EventLog events;
    private final EventStreamProperties properties;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition streamOpened = lock.newCondition();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;
    private Thread poller;

    public EventStreams(EventLog events, EventStreamProperties properties) {
        this.events = events;
        this.properties = properties;
    }

    /**
     * Opens a stream of the run's events after {@code afterId}: first what is already logged, then what comes.
     *
     * @param runFinished the run had finished when the request came: send what is logged and close
     */
    public SseEmitter open(UUID runId, long afterId, boolean runFinished) {
        SseEmitter emitter = new SseEmitter(properties.maxLifetime().toMillis());
        // sends before the emitter is handed to Spring MVC are buffered by it until the response is ready
        Subscription subscription = subscribe(runId, afterId, runFinished, properties.heartbeatInterval(),
                new SseSink(emitter));
        emitter.onCompletion(subscription::close);
        emitter.onError(e -> subscription.close());
        emitter.onTimeout(() -> {
            subscription.close();
            emitter.complete(); // the lifetime is up: end the stream normally; the client resumes by Last-Event-ID
        });
        return emitter;
    }

    /**
     * Delivers the run's events after {@code afterId} to {@code sink}: first what is already logged, then what comes,
     * until {@code run.finished} (or, when {@code runFinished}, until what is logged has been sent).
     *
     * @param heartbeat how long the stream may stay quiet before the sink gets a heartbeat
     */
    public Subscription subscribe(UUID runId, long afterId, boolean runFinished, Duration heartbeat, EventSink sink) {
        Stream stream = new Stream(runId, sink, afterId, runFinished, heartbeat.toNanos(), System.nanoTime());
        stream.busy = true;
        senders.execute(() -> catchUp(stream));
        return stream;
    }

    /** Number of streams being polled (tests and metrics). */
    public int openStreams() {
        return open.size();
    }

    /** Sends everything already logged, then hands the stream to the poller (or ends it). */
    private void catchUp(Stream stream) {
        try {
            while (true) {
                List<Event> page = events.after(stream.runId, stream.lastId, PAGE);
                if (!send(stream, page)) {
                    return;
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
            if (stream.runFinishedAtOpen) {
                stream.end();
                return;
            }
            stream.busy = false;
            if (!stream.closed) {
                open.add(stream);
                wakePoller();
            }
        } catch (RuntimeException e) {
            log.warn("event stream of run {} failed: {}", stream.runId, e.getMessage());
            stream.close();
            stream.sink.fail(e);
        }
    }

    /**
     * Sends the events in order; ends the stream after {@code run.finished}.
     *
     * @return false when the stream ended (finished, or the client went away)
     */
    private boolean send(Stream stream, List<Event> batch) {
        for (Event event : batch) {
            if (stream.closed) {
                return false;
            }
            if (event.id() <= stream.lastId) {
                continue;
            }
            try {
                stream.sink.event(event);
            } catch (IOException | IllegalStateException e) {
                stream.close(); // the client went away, or the stream already ended
                return false;
            }
            stream.lastId = event.id();
            stream.lastWrite = System.nanoTime();
            if (FINISHED.equals(event.type())) {
                stream.end();
                return false;
            }
        }
        return true;
    }

    private void heartbeat(Stream stream) {
        if (stream.closed) {
            return;
        }
        try {
            stream.sink.heartbeat();
            stream.lastWrite = System.nanoTime();
        } catch (IOException | IllegalStateException e) {
            stream.close();
        }
    }

    private void poll() {
        while (running) {
            try {
                awaitStreams();
                tick();
                TimeUnit.NANOSECONDS.sleep(properties.pollInterval().toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("event stream poll failed: {}", e.getMessage());
                sleepQuietly();
            }
        }
    }

    /** One query for every idle stream; a stream whose batch is still being sent waits for the next tick. */
    private void tick() {
        List<Stream> idle = open.stream().filter(s -> !s.busy).toList();
        if (idle.isEmpty()) {
            return;
        }
        Map<UUID, Long> after = new HashMap<>();
        idle.forEach(s -> after.merge(s.runId, s.lastId, Math::min));
        Map<UUID, List<Event>> byRun = new HashMap<>();
        for (RunEvent e : events.after(after, PAGE)) {
            byRun.computeIfAbsent(e.runId(), k -> new ArrayList<>()).add(e.event());
        }
        long now = System.nanoTime();
        for (Stream stream : idle) {
            List<Event> fresh = byRun.getOrDefault(stream.runId, List.of()).stream()
                    .filter(e -> e.id() > stream.lastId).toList();
            boolean quiet = now - stream.lastWrite >= stream.heartbeatNanos;
            if (fresh.isEmpty() && !quiet) {
                continue;
            }
            stream.busy = true;
            senders.execute(() -> {
                try {
                    if (fresh.isEmpty()) {
                        heartbeat(stream);
                    } else {
                        send(stream, fresh);
                    }
                } finally {
                    stream.busy = false;
                }
            });
        }
    }

    private void awaitStreams() throws InterruptedException {
        lock.lock();
        try {
            while (running && open.isEmpty()) {
                streamOpened.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void wakePoller() {
        lock.lock();
        try {
            streamOpened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void sleepQuietly() {
        try {
            TimeUnit.NANOSECONDS.sleep(properties.pollInterval().toNanos() * 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        poller = Thread.ofVirtual().name("event-streams-poller").start(this::poll);
    }

    /** Ends every stream before the web server's graceful shutdown, which would otherwise wait for them. */
    @Override
    public void stop() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
        for (Stream stream : List.copyOf(open)) {
            try {
                stream.end();
            } catch (RuntimeException e) {
                log.debug("event stream of run {} did not close cleanly: {}", stream.runId, e.getMessage());
            }
        }
        senders.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** A subscriber's handle: closing it stops deliveries (a delivery under way finishes first). */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** An open stream; {@code busy} while a batch is being sent to it, so batches of one stream never overlap. */
    private final class Stream implements Subscription {
        final UUID runId;
        final EventSink sink;
        final boolean runFinishedAtOpen;
        final long heartbeatNanos;
        volatile long lastId;
        volatile long lastWrite;
        volatile boolean busy;
        volatile boolean closed;

        Stream(UUID runId, EventSink sink, long lastId, boolean runFinishedAtOpen, long heartbeatNanos, long now) {
            this.runId = runId;
            this.sink = sink;
            this.lastId = lastId;
            this.runFinishedAtOpen = runFinishedAtOpen;
            this.heartbeatNanos = heartbeatNanos;
            this.lastWrite = now;
        }

        @Override
        public void close() {
            closed = true;
            open.remove(this);
        }

        /** Ends the stream once, telling the sink unless it was closed first. */
        void end() {
            boolean wasOpen = !closed;
            close();
            if (wasOpen) {
                sink.end();
            }
        }
    }
}
