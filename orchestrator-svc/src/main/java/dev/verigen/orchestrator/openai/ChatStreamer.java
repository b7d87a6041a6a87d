package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.runs.RunService;
import dev.verigen.orchestrator.strategies.RunState.Candidate;
import dev.verigen.orchestrator.traces.EventLog;
import dev.verigen.orchestrator.traces.EventStreams;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.Problems;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers {@code stream: true}: {@code text/event-stream} of {@code data: <json>} chunks, written by the request's
 * own (virtual) thread as the run's events arrive — a progress chunk per event, then the answer as standard chunks,
 * the usage chunk when asked for, and {@code data: [DONE]}. A comment line goes out every heartbeat interval while the
 * run is quiet; when a write fails the client has gone, and its run is cancelled. A failure once the stream has
 * started is sent as one {@code data: {"error": ...}} chunk (the problem+json members included), without [DONE].
 */
@Component
public class ChatStreamer {

    private static final Logger log = LoggerFactory.getLogger(ChatStreamer.class);
    private static final int PIECE = 24;

    private final EventStreams streams;
    private final RunService runs;
    private final RunResults results;
    private final OpenAiProperties settings;
    private final JsonMapper json;

    public ChatStreamer(EventStreams streams, RunService runs, RunResults results, OpenAiProperties settings,
                        JsonMapper json) {
        this.streams = streams;
        this.runs = runs;
        this.results = results;
        this.settings = settings;
        this.json = json;
    }

    void stream(StartedRun started, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // nginx-style proxies: pass chunks on as they come
        long deadline = System.nanoTime() + started.timeout().toNanos();
        try (RunWatch watch = RunWatch.start(streams, started.id(), settings.heartbeatInterval())) {
            ServletOutputStream out = response.getOutputStream();
            response.flushBuffer(); // the client sees the stream open before the first event
            while (true) {
                RunWatch.Signal signal = watch.next(Duration.ofNanos(deadline - System.nanoTime()));
                switch (signal) {
                    case null -> {
                        if (CompletionWaiter.cancelled(started, runs)) {
                            error(out, CompletionWaiter.timedOut(started));
                            return;
                        }
                        // it finished as the time ran out: its run.finished is on the way
                        deadline = System.nanoTime() + started.timeout().toNanos();
                    }
                    case RunWatch.Progress p -> data(out, progress(started, p.event()));
                    case RunWatch.Quiet q -> write(out, ": keep-alive\n\n");
                    case RunWatch.Lost lost -> {
                        error(out, CompletionWaiter.unavailable(started, lost.why()));
                        return;
                    }
                    case RunWatch.Finished f -> {
                        data(out, progress(started, f.event()));
                        answer(out, started, results.load(started.id(), started.tenant()));
                        return;
                    }
                }
            }
        } catch (IOException e) {
            runs.cancel(started.tenant(), started.id(), "the client closed the stream");
            log.debug("stream of run {} closed by the client: {}", started.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(ServletOutputStream out, StartedRun started, RunResult result) throws IOException {
        if (!result.succeeded()) {
            error(out, result.problem());
            return;
        }
        List<Candidate> choices = result.choices(started.request().choices());
        for (int i = 0; i < choices.size(); i++) {
            Candidate c = choices.get(i);
            data(out, chunk(started, i, new ChatWire.Delta("assistant", ""), null));
            String text = c.text() == null ? "" : c.text();
            for (String piece : pieces(text)) {
                data(out, chunk(started, i, new ChatWire.Delta(null, piece), null));
            }
            data(out, chunk(started, i, new ChatWire.Delta(null, null), RunResult.finishReason(c)));
        }
        if (started.request().verigen().metadata()) {
            Map<String, Object> metadata = RunResult.ordered("event", "run.result");
            metadata.putAll(result.metadata());
            data(out, new ChatWire.Chunk(started.completionId(), ChatWire.CHUNK, started.created(), started.model(),
                    List.of(), null, metadata));
        }
        if (started.request().includeUsage()) {
            data(out, new ChatWire.Chunk(started.completionId(), ChatWire.CHUNK, started.created(), started.model(),
                    List.of(), result.usage(), null));
        }
        write(out, "data: [DONE]\n\n");
    }

    private ChatWire.Chunk progress(StartedRun started, EventLog.Event event) {
        Map<String, Object> verigen = RunResult.ordered("run_id", started.id(), "event", event.type(),
                "event_id", event.id(), "data", json.readTree(event.data()));
        return new ChatWire.Chunk(started.completionId(), ChatWire.CHUNK, started.created(), started.model(),
                List.of(), null, verigen);
    }

    private static ChatWire.Chunk chunk(StartedRun started, int index, ChatWire.Delta delta, String finishReason) {
        return new ChatWire.Chunk(started.completionId(), ChatWire.CHUNK, started.created(), started.model(),
                List.of(new ChatWire.ChunkChoice(index, delta, finishReason, null)), null, null);
    }

    /** The answer in short pieces, as a model would stream it; never splits a surrogate pair. */
    static List<String> pieces(String text) {
        List<String> pieces = new java.util.ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + PIECE);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }

    private void error(ServletOutputStream out, ApiProblem problem) throws IOException {
        write(out, "data: " + json.writeValueAsString(Problems.body(problem)) + "\n\n");
    }

    private void data(ServletOutputStream out, Object chunk) throws IOException {
        write(out, "data: " + json.writeValueAsString(chunk) + "\n\n");
    }

    private static void write(ServletOutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
