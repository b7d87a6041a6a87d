package dev.verigen.orchestrator.web;

import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.servlet.ServletProblemHandler;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounds the API requests ({@code /v1/**}) this instance works on at once ({@link ApiConcurrencyProperties}): the
 * rest wait their turn up to {@code max-wait} and are then answered 503 with {@code Retry-After}, so the database
 * connections the engine needs are never all held by HTTP callers. Health and metrics are not counted.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 50)
public class ApiBulkheadFilter extends OncePerRequestFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Bulkhead bulkhead;

    public ApiBulkheadFilter(ApiConcurrencyProperties limits, MeterRegistry meters) {
        BulkheadRegistry registry = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(limits.maxConcurrent()).maxWaitDuration(limits.maxWait()).build());
        this.bulkhead = registry.bulkhead("orchestrator-api");
        TaggedBulkheadMetrics.ofBulkheadRegistry(registry).bindTo(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!bulkhead.tryAcquirePermission()) {
            refuse(response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            bulkhead.onComplete();
        }
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        ResponseEntity<Object> problem = ServletProblemHandler.respond(ApiProblem.overloaded(
                "The orchestrator is working on as many requests as it takes at once. Retry later.", RETRY_AFTER));
        response.setStatus(problem.getStatusCode().value());
        problem.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        response.getOutputStream().write(JSON.writeValueAsBytes(problem.getBody()));
    }
}
