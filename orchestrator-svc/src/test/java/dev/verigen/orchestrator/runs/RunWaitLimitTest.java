package dev.verigen.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.orchestrator.access.Caller;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The long-poll parks at most {@code maxWaiting} requests per instance: each parked request holds its connection and
 * the container's buffers, and 10,000 of them ran a 384 MB orchestrator out of memory. The ones past the limit are
 * answered at once, as a plain GET, and told when to ask again.
 */
class RunWaitLimitTest {

    private static final Caller CALLER = new Caller("default", "k", Set.of());

    /** A run that is still going, without a database. */
    private static final class Running extends RunQueries {
        Running() {
            super(null, null, null, null);
        }

        @Override
        public Optional<RunView> find(UUID id, String tenant) {
            return Optional.of(new RunView(id, "RUNNING", null, null, null, null, null, null, null, java.util.List.of(),
                    null, null));
        }
    }

    @Test
    void pastTheLimitAWaitIsAnsweredAtOnceWithRetryAfter() {
        RunCompletions completions = new RunCompletions(null);
        RunController runs = new RunController(null, null, new Running(), completions, new RunWaitProperties(2));

        for (int i = 0; i < 2; i++) {
            var response = new MockHttpServletResponse();
            DeferredResult<RunView> parked = runs.await(CALLER, UUID.randomUUID(), "30s", response);
            assertThat(parked.hasResult()).as("waits for the run to end").isFalse();
            assertThat(response.getHeader("Retry-After")).isNull();
        }
        assertThat(completions.waiting()).isEqualTo(2);

        var response = new MockHttpServletResponse();
        DeferredResult<RunView> third = runs.await(CALLER, UUID.randomUUID(), "30s", response);
        assertThat(third.hasResult()).as("answered at once").isTrue();
        assertThat(((RunView) third.getResult()).status()).isEqualTo("RUNNING");
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(completions.waiting()).as("the third was never parked").isEqualTo(2);
    }

    @Test
    void aClosedRegistrationFreesItsPlaceOnce() {
        RunCompletions completions = new RunCompletions(null);
        UUID run = UUID.randomUUID();
        RunCompletions.Registration first = completions.await(run, () -> { });
        completions.await(run, () -> { });
        assertThat(completions.waiting()).isEqualTo(2);
        first.close();
        first.close();
        assertThat(completions.waiting()).isEqualTo(1);
    }
}
