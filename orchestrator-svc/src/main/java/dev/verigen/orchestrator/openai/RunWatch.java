package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.traces.EventLog;
import dev.verigen.orchestrator.traces.EventSink;
import dev.verigen.orchestrator.traces.EventStreams;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A request thread's view of its run's progress. The events come from {@link EventStreams}' one poller (no polling of
 * our own) and are handed over through a queue, so only the request thread writes its response: what it cannot
 * write to a client that went away tells it to cancel the run.
 */
final class RunWatch implements EventSink, AutoCloseable {

    /** What happened next. */
    sealed interface Signal {
    }

    record Progress(EventLog.Event event) implements Signal {
    }

    /** {@code run.finished}: the run's answer (or failure) can be read. */
    record Finished(EventLog.Event event) implements Signal {
    }

    /** Nothing happened for a heartbeat interval. */
    record Quiet() implements Signal {
    }

    /** The stream stopped without the run finishing (the application is stopping, or the log could not be read). */
    record Lost(String why) implements Signal {
    }

    private static final String FINISHED = "run.finished";

    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final EventStreams.Subscription subscription;
    private volatile boolean finished;

    private RunWatch(EventStreams streams, UUID runId, Duration heartbeat) {
        this.subscription = streams.subscribe(runId, 0, false, heartbeat, this);
    }

    static RunWatch start(EventStreams streams, UUID runId, Duration heartbeat) {
        return new RunWatch(streams, runId, heartbeat);
    }

    /** @return the next signal, or null when {@code timeout} passed first */
    Signal next(Duration timeout) throws InterruptedException {
        return signals.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void event(EventLog.Event event) {
        if (FINISHED.equals(event.type())) {
            finished = true;
            signals.add(new Finished(event));
        } else {
            signals.add(new Progress(event));
        }
    }

    @Override
    public void heartbeat() {
        signals.add(new Quiet());
    }

    @Override
    public void end() {
        if (!finished) {
            signals.add(new Lost("the event stream ended before the run finished"));
        }
    }

    @Override
    public void fail(RuntimeException cause) {
        signals.add(new Lost("the run's events could not be read"));
    }

    @Override
    public void close() {
        subscription.close();
    }
}
