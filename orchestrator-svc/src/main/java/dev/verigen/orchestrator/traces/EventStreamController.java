package dev.verigen.orchestrator.traces;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.orchestrator.runs.RunRepository;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /v1/runs/{id}/events}: the run's progress as server-sent events ({@code id} = event id, {@code event} =
 * type, {@code data} = JSON). {@code Last-Event-ID} (or {@code ?lastEventId=} for clients that cannot set headers)
 * resumes after that event. A finished run with nothing left to send answers 204, which tells an EventSource to stop
 * reconnecting.
 */
@RestController
public class EventStreamController {

    private final RunRepository runs;
    private final EventLog events;
    private final EventStreams streams;

    public EventStreamController(RunRepository runs, EventLog events, EventStreams streams) {
        this.runs = runs;
        this.events = events;
        this.streams = streams;
    }

    @GetMapping(path = "/v1/runs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<SseEmitter> events(Caller caller, @PathVariable UUID id,
                                             @RequestHeader(name = "Last-Event-ID", required = false) String header,
                                             @RequestParam(name = "lastEventId", required = false) String param) {
        long after = lastEventId(header != null ? header : param, header != null ? "Last-Event-ID" : "lastEventId");
        var run = runs.find(id, caller.tenant()).orElseThrow(() -> ApiProblem.notFound("no run " + id));
        boolean finished = run.status() != RunRepository.RunStatus.RUNNING;
        if (finished && !events.hasAfter(id, after)) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no") // nginx-style proxies: pass events on as they come
                .body(streams.open(id, after, finished));
    }

    private static long lastEventId(String value, String field) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw ApiProblem.invalid(List.of(new FieldError(field, "must be an event id (a whole number)")));
        }
    }
}
