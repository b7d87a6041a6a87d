package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.runs.RunRepository.RunStatus;
import dev.verigen.orchestrator.runs.RunService;
import dev.verigen.orchestrator.strategies.RunState.Candidate;
import dev.verigen.orchestrator.traces.EventStreams;
import dev.verigen.support.problems.ApiProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Answers a non-streamed completion: waits on the request's (virtual) thread for {@code run.finished}, then reads
 * the run. A run still going at the timeout is cancelled and the client gets 504; one that finished meanwhile is
 * answered as usual.
 */
@Component
public class CompletionWaiter {

    private final EventStreams streams;
    private final RunService runs;
    private final RunResults results;
    private final OpenAiProperties settings;

    public CompletionWaiter(EventStreams streams, RunService runs, RunResults results, OpenAiProperties settings) {
        this.streams = streams;
        this.runs = runs;
        this.results = results;
        this.settings = settings;
    }

    ChatWire.Completion await(StartedRun started) {
        long deadline = System.nanoTime() + started.timeout().toNanos();
        try (RunWatch watch = RunWatch.start(streams, started.id(), settings.heartbeatInterval())) {
            while (true) {
                RunWatch.Signal signal = watch.next(Duration.ofNanos(deadline - System.nanoTime()));
                if (signal == null) {
                    if (cancelled(started, runs)) {
                        throw timedOut(started);
                    }
                    break; // it finished as the time ran out: answer
                }
                if (signal instanceof RunWatch.Finished) {
                    break;
                }
                if (signal instanceof RunWatch.Lost lost) {
                    throw unavailable(started, lost.why());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(started, "the server is stopping");
        }
        return completion(started, results.load(started.id(), started.tenant()));
    }

    static ChatWire.Completion completion(StartedRun started, RunResult result) {
        if (!result.succeeded()) {
            throw result.problem();
        }
        List<ChatWire.Choice> choices = new ArrayList<>();
        for (Candidate c : result.choices(started.request().choices())) {
            choices.add(new ChatWire.Choice(choices.size(), ChatWire.Message.assistant(c.text()),
                    RunResult.finishReason(c), null));
        }
        return new ChatWire.Completion(started.completionId(), ChatWire.COMPLETION, started.created(),
                started.model(), choices, result.usage(),
                started.request().verigen().metadata() ? result.metadata() : null);
    }

    /** @return true when the run was cancelled now, false when it had finished anyway */
    static boolean cancelled(StartedRun started, RunService runs) {
        return runs.cancel(started.tenant(), started.id(), "the chat completion timed out after "
                + started.timeout().toSeconds() + " s").orElse(RunStatus.CANCELLED) == RunStatus.CANCELLED;
    }

    static ApiProblem timedOut(StartedRun started) {
        return new ApiProblem(HttpStatus.GATEWAY_TIMEOUT, "completion-timeout", "Completion timed out",
                "run " + started.id() + " did not finish within " + started.timeout().toSeconds()
                + " s and was cancelled; allow longer with verigen.timeoutSeconds or ask for less compute",
                List.of());
    }

    static ApiProblem unavailable(StartedRun started, String why) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable",
                why + "; run " + started.id() + " goes on: GET /v1/runs/" + started.id() + " has its result",
                List.of());
    }
}
