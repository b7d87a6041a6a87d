package dev.verigen.orchestrator.runs;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Long-polls of runs ({@code GET /v1/runs/{id}?wait=…}, {@code verigen.orchestrator.run-wait}).
 *
 * @param maxWaiting how many requests one instance keeps waiting at once. Each parked request keeps its connection and
 *                   the servlet container's request buffers on the heap: 10,000 runs waited on at once took a 384 MB
 *                   orchestrator out of memory. Past this, {@code ?wait=} answers at once with the run as it stands
 *                   and {@code Retry-After: 1}, as a plain GET would.
 */
@Validated
@ConfigurationProperties("verigen.orchestrator.run-wait")
public record RunWaitProperties(@Min(0) Integer maxWaiting) {

    public RunWaitProperties {
        maxWaiting = maxWaiting == null ? 2_000 : maxWaiting;
    }
}
