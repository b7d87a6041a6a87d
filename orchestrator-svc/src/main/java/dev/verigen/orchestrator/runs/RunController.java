package dev.verigen.orchestrator.runs;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.async.DeferredResult;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/v1/runs")
public class RunController {

    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final RunRequestParser parser;
    private final RunService service;
    private final RunQueries queries;
    /** The longest {@code ?wait=} a client may ask for; the gateway's response timeout allows for it. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final SecureRandom random = new SecureRandom();
    private final RunCompletions completions;
    private final RunWaitProperties waits;

    public RunController(RunRequestParser parser, RunService service, RunQueries queries, RunCompletions completions,
                         RunWaitProperties waits) {
        this.parser = parser;
        this.service = service;
        this.queries = queries;
        this.completions = completions;
        this.waits = waits;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> create(Caller caller, @RequestBody JsonNode body,
                                                      @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
            throw ApiProblem.invalid(List.of(new FieldError("Idempotency-Key",
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters")));
        }
        // The fingerprint is taken before a random seed is filled in, so a retry matches its original.
        String fingerprint = RunService.fingerprint(parser.parse(body, 0L));
        CreateRun request = parser.parse(body, random.nextLong());
        RunService.Created created = service.create(caller.tenant(), request, key, fingerprint);
        URI location = URI.create("/v1/runs/" + created.id());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(location)
                .header("Idempotent-Replayed", Boolean.toString(!created.created()))
                .body(Map.of("id", created.id(), "status", created.status().name(), "links", Map.of("self", location.toString())));
    }

    /** Stops a running run; a finished run is left as it is (the answer says which status it has). */
    @PostMapping("/{id}/cancel")
    public Map<String, Object> cancel(Caller caller, @PathVariable UUID id) {
        var status = service.cancel(caller.tenant(), id, "cancelled by the client")
                .orElseThrow(() -> ApiProblem.notFound("no run " + id));
        return Map.of("id", id, "status", status.name());
    }

    @GetMapping("/{id}")
    public RunView get(Caller caller, @PathVariable UUID id) {
        return queries.find(id, caller.tenant()).orElseThrow(() -> ApiProblem.notFound("no run " + id));
    }

    /**
     * Long-poll: answers as soon as the run has ended, or with the run as it stands once {@code wait} has passed. The
     * request holds no thread while it waits (the run's end, announced after its commit, completes it). Past
     * {@link RunWaitProperties#maxWaiting()} requests waiting here, it answers at once with {@code Retry-After: 1}.
     */
    @GetMapping(path = "/{id}", params = "wait")
    public DeferredResult<RunView> await(Caller caller, @PathVariable UUID id, @RequestParam("wait") String wait,
                                         HttpServletResponse response) {
        Duration timeout = parseWait(wait);
        String tenant = caller.tenant();
        if (completions.waiting() >= waits.maxWaiting()) {
            RunView run = get(caller, id);
            if ("RUNNING".equals(run.status())) {
                response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            }
            DeferredResult<RunView> now = new DeferredResult<>();
            now.setResult(run);
            return now;
        }
        DeferredResult<RunView> answer = new DeferredResult<>(Math.max(1, timeout.toMillis()));
        // registered before the first read: a run that ends between the two is still seen
        RunCompletions.Registration waiting = completions.await(id, () -> answer(answer, id, tenant));
        answer.onCompletion(waiting::close);
        answer.onTimeout(() -> answer(answer, id, tenant));
        answer.onError(e -> waiting.close());
        RunView now = queries.find(id, tenant).orElseThrow(() -> {
            waiting.close();
            return ApiProblem.notFound("no run " + id);
        });
        if (!"RUNNING".equals(now.status()) || timeout.isZero()) {
            waiting.close();
            answer.setResult(now);
        }
        return answer;
    }

    private void answer(DeferredResult<RunView> answer, UUID id, String tenant) {
        try {
            queries.find(id, tenant).ifPresentOrElse(answer::setResult,
                    () -> answer.setErrorResult(ApiProblem.notFound("no run " + id)));
        } catch (RuntimeException e) {
            answer.setErrorResult(e);
        }
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, ISO-8601 ({@code PT30S}) or plain seconds ({@code 30}), at most 30 s. */
    static Duration parseWait(String wait) {
        Duration d;
        try {
            String w = wait == null ? "" : wait.strip();
            d = w.chars().allMatch(Character::isDigit) && !w.isEmpty() ? Duration.ofSeconds(Long.parseLong(w))
                    : DurationStyle.detectAndParse(w, ChronoUnit.SECONDS);
        } catch (RuntimeException e) {
            throw ApiProblem.invalid(List.of(new FieldError("wait",
                    "must be a duration such as 30s, 500ms or 30 (seconds), at most " + MAX_WAIT.toSeconds() + "s")));
        }
        if (d.isNegative() || d.compareTo(MAX_WAIT) > 0) {
            throw ApiProblem.invalid(List.of(new FieldError("wait",
                    "must be between 0s and " + MAX_WAIT.toSeconds() + "s")));
        }
        return d;
    }
}
