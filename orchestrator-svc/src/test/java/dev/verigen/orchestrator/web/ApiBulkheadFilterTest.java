package dev.verigen.orchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ApiBulkheadFilterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void pastItsBoundARequestWaitsThenGets503WithRetryAfterAndNeverReachesTheController() throws Exception {
        var filter = new ApiBulkheadFilter(new ApiConcurrencyProperties(2, Duration.ofMillis(200)),
                new SimpleMeterRegistry());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger working = new AtomicInteger();
        AtomicInteger reached = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<MockHttpServletResponse>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(pool.submit(() -> call(filter, "/v1/runs", () -> {
                    reached.incrementAndGet();
                    working.incrementAndGet();
                    release.await(10, TimeUnit.SECONDS);
                })));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> working.get() == 2);

            MockHttpServletResponse refused = call(filter, "/v1/runs/x", reached::incrementAndGet);
            assertThat(refused.getStatus()).isEqualTo(503);
            assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
            assertThat(refused.getContentType()).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(refused.getContentAsString());
            assertThat(problem.path("type").asString()).endsWith("service-unavailable");
            assertThat(reached.get()).as("the refused request did no work").isEqualTo(2);

            MockHttpServletResponse health = call(filter, "/actuator/health", reached::incrementAndGet);
            assertThat(health.getStatus()).as("health is never held back").isEqualTo(200);

            release.countDown();
            for (var h : held) {
                assertThat(h.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            }
        }
        assertThat(call(filter, "/v1/runs", reached::incrementAndGet).getStatus())
                .as("the permits came back").isEqualTo(200);
    }

    @Test
    void noConnectionInTimeIsA503WithRetryAfterNotA500() {
        var answer = new DatabaseBusyHandler().databaseBusy(
                new DataAccessResourceFailureException("Failed to obtain JDBC Connection"));
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(answer.getBody().toString()).doesNotContain("JDBC").doesNotContain("Exception");
    }

    private interface Work {
        void run() throws Exception;
    }

    private static MockHttpServletResponse call(ApiBulkheadFilter filter, String path, Work work) throws Exception {
        var request = new MockHttpServletRequest("GET", path);
        var response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> {
            try {
                work.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return response;
    }
}
