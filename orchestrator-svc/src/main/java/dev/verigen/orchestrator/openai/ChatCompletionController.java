package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.orchestrator.runs.CreateRun;
import dev.verigen.orchestrator.runs.RunService;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
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
 * belongs to the caller's tenant, whose budget and ceilings apply. See docs/openai.md.
 */
@RestController
public class ChatCompletionController {

    public static final String RUN_ID_HEADER = "X-Verigen-Run-Id";

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
                                                      String budget, HttpServletResponse response) {
        ChatRequest request = parser.parse(body, budget);
        ResolvedModel model = models.resolve(caller.tenant(), request.model());
        CreateRun run = planner.plan(request, model, random.nextLong());
        var created = runs.create(caller.tenant(), run, null, RunService.fingerprint(run));
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
