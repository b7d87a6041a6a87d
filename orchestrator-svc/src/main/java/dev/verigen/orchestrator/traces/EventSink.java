package dev.verigen.orchestrator.traces;

import java.io.IOException;

/**
 * Receives one run's events from {@link EventStreams}, oldest first, never two calls at once. An SSE response is
 * one kind of sink; the OpenAI facade's completions are others, so they all share the one poller.
 */
public interface EventSink {

    /**
     * @throws IOException when the receiver went away; the stream is then dropped without {@link #end}
     */
    void event(EventLog.Event event) throws IOException;

    /** Nothing new for a while; a sink that writes to a client writes something so a dead client is noticed. */
    void heartbeat() throws IOException;

    /**
     * The stream is over: after {@code run.finished} was delivered, after the last logged event of a run that had
     * finished before the stream opened, or because the application is stopping.
     */
    void end();

    /** Reading the log failed; the stream is dropped. */
    void fail(RuntimeException cause);
}
