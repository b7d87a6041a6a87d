package dev.verigen.reward.http;

import static dev.verigen.reward.http.HttpBackendsTest.config;
import static dev.verigen.reward.http.HttpBackendsTest.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.reward.http.ReplayServer.Response;
import dev.verigen.reward.resilience.ResilientScorer;
import dev.verigen.reward.scoring.Scored;
import dev.verigen.reward.scoring.Scorer;
import dev.verigen.reward.scoring.ScorerErrors;
import dev.verigen.reward.scoring.ScorerException;
import dev.verigen.reward.scoring.ScorerRegistry;
import dev.verigen.reward.scoring.ScoringService;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The resilience policies around HTTP scorers, and what a job's result says when they give up. */
class HttpResilienceTest {

    private static final String SCORE_OK = """
            {"id":"score-1","object":"list","created":1763900000,"model":"test/rm",
             "data":[{"index":0,"object":"score","score":0.7},{"index":1,"object":"score","score":0.2}],
             "usage":{"prompt_tokens":40,"total_tokens":40,"completion_tokens":0}}""";

    private static ScorerRegistry registry(ReplayServer server, String... more) {
        String[] all = new String[more.length + 2];
        all[0] = "scorers.rm.endpoint";
        all[1] = "score";
        System.arraycopy(more, 0, all, 2, more.length);
        return ReplayServer.registry(config(server, "vllm-reward", all));
    }

    private static Scorer rm(ScorerRegistry registry) {
        return registry.find("rm").orElseThrow();
    }

    @Test
    void retriesRateLimitsAndServerErrorsThenSucceeds() throws Exception {
        try (var server = ReplayServer.sequence(Response.status(429, "{\"error\":\"slow down\"}"),
                Response.status(503, "{\"error\":\"warming up\"}"), Response.ok(SCORE_OK))) {
            Scored scored = rm(registry(server)).score(job("rm", "Q", "a", "b"));
            assertThat(scored.scores()).hasSize(2);
            assertThat(server.hits()).isEqualTo(3);
        }
    }

    @Test
    void doesNotRetryABadRequest() throws Exception {
        try (var server = ReplayServer.sequence(Response.status(400, "{\"error\":\"input too long\"}"),
                Response.ok(SCORE_OK))) {
            assertThatThrownBy(() -> rm(registry(server)).score(job("rm", "Q", "a", "b")))
                    .isInstanceOfSatisfying(ScorerException.class, e -> {
                        assertThat(e.code()).isEqualTo(ScorerErrors.BAD_REQUEST);
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("HTTP 400").contains("input too long");
                    });
            assertThat(server.hits()).isEqualTo(1);
        }
    }

    @Test
    void breakerOpensAfterRepeatedServerErrorsThenFailsFastWithoutCallingTheServer() throws Exception {
        try (var server = ReplayServer.sequence(Response.status(500, "{\"error\":\"CUDA out of memory\"}"))) {
            var registry = registry(server, "resilience.retry.max-attempts", "1",
                    "resilience.circuit-breaker.sliding-window", "4", "resilience.circuit-breaker.minimum-calls", "4",
                    "resilience.circuit-breaker.open-duration", "60s");
            Scorer rm = rm(registry);
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> rm.score(job("rm", "Q", "a")))
                        .isInstanceOfSatisfying(ScorerException.class,
                                e -> assertThat(e.code()).isEqualTo(ScorerErrors.SCORER_ERROR));
            }
            assertThat(((ResilientScorer) rm).breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThatThrownBy(() -> rm.score(job("rm", "Q", "a")))
                    .isInstanceOfSatisfying(ScorerException.class, e -> {
                        assertThat(e.code()).isEqualTo(ScorerErrors.CIRCUIT_OPEN);
                        assertThat(e.retryable()).isTrue();
                    });
            // a variant shares the breaker: it calls the same server
            assertThatThrownBy(() -> registry.find("rm:pairwise").orElseThrow().score(job("rm", "Q", "a", "b")))
                    .isInstanceOfSatisfying(ScorerException.class,
                            e -> assertThat(e.code()).isEqualTo(ScorerErrors.CIRCUIT_OPEN));
            assertThat(server.hits()).isEqualTo(4);
        }
    }

    @Test
    void bulkheadBoundsCallsInFlight() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (var server = new ReplayServer(r -> {
            arrived.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.ok(SCORE_OK);
        })) {
            Scorer rm = rm(registry(server, "resilience.retry.max-attempts", "1",
                    "resilience.bulkhead.max-concurrent", "1", "resilience.bulkhead.max-wait", "0ms"));
            CompletableFuture<Scored> first = CompletableFuture.supplyAsync(() -> rm.score(job("rm", "Q", "a", "b")),
                    r -> Thread.ofVirtual().start(r));
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                assertThatThrownBy(() -> rm.score(job("rm", "Q", "a", "b")))
                        .isInstanceOfSatisfying(ScorerException.class, e -> {
                            assertThat(e.code()).isEqualTo(ScorerErrors.OVERLOADED);
                            assertThat(e.getMessage()).contains("1 jobs in flight");
                        });
                assertThat(server.hits()).isEqualTo(1);
            } finally {
                release.countDown();
            }
            assertThat(first.get(10, TimeUnit.SECONDS).scores()).hasSize(2);
        }
    }

    @Test
    void aServerThatDoesNotAnswerTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (var server = new ReplayServer(r -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.ok(SCORE_OK);
        })) {
            try {
                // the request's own timeout, retried once
                Scorer byRequest = rm(registry(server, "scorers.rm.timeout", "150ms", "resilience.retry.max-attempts", "2"));
                assertThatThrownBy(() -> byRequest.score(job("rm", "Q", "a")))
                        .isInstanceOfSatisfying(ScorerException.class, e -> {
                            assertThat(e.code()).isEqualTo(ScorerErrors.SCORER_TIMEOUT);
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.getMessage()).contains("within PT0.15S").contains("after 2 attempts");
                        });
                assertThat(server.hits()).isEqualTo(2);
                // the attempt's time limit, when the request timeout is longer
                Scorer byLimit = rm(registry(server, "resilience.timeout", "150ms", "resilience.retry.max-attempts", "1"));
                assertThatThrownBy(() -> byLimit.score(job("rm", "Q", "a")))
                        .isInstanceOfSatisfying(ScorerException.class, e -> {
                            assertThat(e.code()).isEqualTo(ScorerErrors.SCORER_TIMEOUT);
                            assertThat(e.getMessage()).contains("did not answer within PT0.15S");
                            assertThat(e.engineMs()).isEqualTo(150);
                        });
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void malformedJsonBecomesAnErrorResultWithAReason() throws Exception {
        try (var server = ReplayServer.sequence(Response.ok("{\"data\": [ {\"index\": 0, \"score\": 0.5"))) {
            var service = new ScoringService(registry(server, "resilience.retry.max-attempts", "2"),
                    new SimpleMeterRegistry());
            ScoringResult result = service.score(job("rm", "Q", "a"));
            assertThat(result.ok()).isFalse();
            assertThat(result.scores()).isEmpty();
            assertThat(result.error().code()).isEqualTo(ScorerErrors.MALFORMED_RESPONSE);
            assertThat(result.error().retryable()).isTrue();
            assertThat(result.error().message()).contains("scorer 'rm'").contains("is not JSON")
                    .contains("after 2 attempts");
            assertThat(server.hits()).isEqualTo(2);
        }
    }

    @Test
    void theApiKeyIsSentButNeverLoggedNorInMessages() throws Exception {
        String key = "sk-test-SECRET-4242";
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("dev.verigen");
        Level before = ours.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        ours.setLevel(Level.DEBUG);
        try (var server = ReplayServer.sequence(
                Response.status(503, "{\"error\":\"upstream rejected key " + key + "\"}"),
                Response.status(401, "{\"error\":\"invalid api key " + key + "\"}"))) {
            var registry = registry(server, "scorers.rm.api-key", key);
            var service = new ScoringService(registry, new SimpleMeterRegistry());
            ScoringResult result = service.score(job("rm", "Q", "a"));

            assertThat(server.requests()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + key));
            assertThat(result.error().code()).isEqualTo(ScorerErrors.BAD_REQUEST);
            assertThat(result.error().message()).contains("invalid api key ***").doesNotContain(key);
            assertThat(registry.find("rm").orElseThrow().toString()).doesNotContain(key);
            assertThat(logs.list).isNotEmpty();
            assertThat(logs.list).allSatisfy(e -> {
                assertThat(e.getFormattedMessage()).doesNotContain(key);
                if (e.getThrowableProxy() != null) {
                    assertThat(e.getThrowableProxy().getMessage()).doesNotContain(key);
                }
            });
        } finally {
            root.detachAppender(logs);
            ours.setLevel(before);
        }
    }

    @Test
    void aJobForAConfiguredHttpScorerYieldsAResultWithUsage() throws Exception {
        try (var server = ReplayServer.sequence(Response.ok(SCORE_OK))) {
            var meters = new SimpleMeterRegistry();
            var service = new ScoringService(registry(server), meters);
            var job = job("rm", "Q", "a", "b");
            ScoringResult result = service.score(job);
            assertThat(result.ok()).isTrue();
            assertThat(result.scorer()).isEqualTo("rm");
            assertThat(result.scores()).extracting(s -> s.candidateId())
                    .containsExactly(job.candidates().get(0).candidateId(), job.candidates().get(1).candidateId());
            assertThat(result.scores()).extracting(s -> s.value()).containsExactly(0.7, 0.2);
            assertThat(result.usage().promptTokens()).isEqualTo(40);
            assertThat(result.usage().calls()).isEqualTo(2);
            assertThat(result.usage().wallMs()).isGreaterThanOrEqualTo(result.usage().engineMs());
            assertThat(meters.counter("verigen.reward.jobs", "scorer", "rm", "result", "ok").count()).isEqualTo(1);

            ScoringResult unknown = service.score(job("rm:median", "Q", "a"));
            assertThat(unknown.error().code()).isEqualTo(ScoringService.UNKNOWN_SCORER);
        }
    }

    @Test
    void badConfigurationFailsStartupNamingTheKey() throws Exception {
        try (var server = ReplayServer.sequence(Response.ok(SCORE_OK))) {
            assertThatThrownBy(() -> ReplayServer.registry(Map.of("scorers.x.type", "vllm-reward")))
                    .hasMessageContaining("verigen.reward.scorers.x.base-url");
            assertThatThrownBy(() -> ReplayServer.registry(Map.of("scorers.x.type", "openai-judge",
                    "scorers.x.base-url", server.url().toString())))
                    .hasMessageContaining("verigen.reward.scorers.x.type 'openai-judge'").hasMessageContaining("tei-rerank");
        }
    }
}
