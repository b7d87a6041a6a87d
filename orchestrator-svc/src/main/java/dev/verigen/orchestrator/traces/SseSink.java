package dev.verigen.orchestrator.traces;

import java.io.IOException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A server-sent event stream: {@code id} = event id, {@code event} = type, {@code data} = the event's JSON. */
record SseSink(SseEmitter emitter) implements EventSink {

    @Override
    public void event(EventLog.Event event) throws IOException {
        emitter.send(SseEmitter.event().id(Long.toString(event.id())).name(event.type()).data(event.data()));
    }

    @Override
    public void heartbeat() throws IOException {
        emitter.send(SseEmitter.event().comment("keep-alive"));
    }

    @Override
    public void end() {
        emitter.complete();
    }

    @Override
    public void fail(RuntimeException cause) {
        emitter.completeWithError(cause);
    }
}
