package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.orchestrator.runs.CreateRun;
import dev.verigen.orchestrator.runs.RunService;
import dev.verigen.support.problems.ApiProblem;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/chat/completions}: an OpenAI-compatible chat completion answered by a Verigen run. The request is
 * checked and its run created before anything is answered, so every refusal is a problem+json response; the run
 * belongs to the caller's tenant, whose budget and ceilings apply. With an {@code Idempotency-Key}, a retry of the
 * same request answers from the run the first one started instead of starting another. See docs/openai.md.
 */
@RestController
public class ChatCompletionController {

    public static final String RUN_ID_HEADER = "X-Verigen-Run-Id";
    /** Honoured by OpenAI's (Stainless-generated) clients in place of their own retry rules. */
    static final String SHOULD_RETRY_HEADER = "X-Should-Retry";
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_IDEMPOTENCY_KEY = 255;
    private static final Set<HttpStatus> NOT_WORTH_RETRYING = Set.of(HttpStatus.PAYMENT_REQUIRED, HttpStatus.CONFLICT,
            HttpStatus.GATEWAY_TIMEOUT);

    private final ChatRequestParser parser;
    private final ModelCatalog models;
    private final RunPlanner planner;
    private final RunService runs;
    private final CompletionWaiter waiter;
    private final ChatStreamer streamer;
    private final OpenAiProperties settings;
    private final SecureRandom random = new SecureRandom();

    public ChatCompletionController(ChatRequestParser parser, ModelCatalog models, RunPlanner planner, RunService runs,
                                    CompletionWaiter waiter, ChatStreamer streamer, OpenAiProperties settings) {
        this.parser = parser;
        this.models = models;
        this.planner = planner;
        this.runs = runs;
        this.waiter = waiter;
        this.streamer = streamer;
        this.settings = settings;
    }

    /** A streamed answer is written to {@code response} directly (null return: nothing more to write). */
    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ChatWire.Completion> create(Caller caller, @RequestBody JsonNode body,
                                                      @RequestHeader(name = BudgetHeader.NAME, required = false)
                                                      String budget,
                                                      @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
                                                      String key, HttpServletResponse response) {
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
            throw ApiProblem.invalid(IDEMPOTENCY_KEY, "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        try {
            return answer(caller, parser.parse(body, budget), key, response);
        } catch (ApiProblem problem) {
            if (NOT_WORTH_RETRYING.contains(problem.status())) {
                // OpenAI clients retry 409 and 5xx by themselves; a retry would start (and pay for) another run
                response.setHeader(SHOULD_RETRY_HEADER, "false");
            }
            throw problem;
        }
    }

    private ResponseEntity<ChatWire.Completion> answer(Caller caller, ChatRequest request, String key,
                                                       HttpServletResponse response) {
        ResolvedModel model = models.resolve(caller.tenant(), request.model());
        // fingerprinted before a random seed is filled in, so a retry matches its original and waits for its run
        String fingerprint = RunService.fingerprint(planner.plan(request, model, 0L));
        CreateRun run = planner.plan(request, model, random.nextLong());
        var created = runs.create(caller.tenant(), run, key, fingerprint);
        // set on the response itself, so that a problem answered after the run started carries it too
        response.setHeader(RUN_ID_HEADER, created.id().toString());
        Duration timeout = request.verigen().timeoutSeconds() == null ? settings.completionTimeout()
                : Duration.ofSeconds(request.verigen().timeoutSeconds());
        var started = new StartedRun(created.id(), caller.tenant(), request, request.model(),
                Instant.now().getEpochSecond(), timeout);
        if (request.stream()) {
            streamer.stream(started, response);
            return null;
        }
        return ResponseEntity.ok(waiter.await(started));
    }
}
