package dev.verigen.orchestrator.web;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many API requests one orchestrator works on at once ({@code verigen.orchestrator.api}). Each holds a database
 * connection while it works, from the same pool that applies results, relays the outbox and sweeps timeouts; without a
 * bound, a flood of requests took every connection for tens of seconds, requests failed on the pool's timeout and the
 * engine's own work waited behind them.
 *
 * @param maxConcurrent requests worked on at once; keep it below the connection pool's size so the engine keeps the
 *                      rest. A long-poll counts only while it reads, not while it waits (it is parked asynchronously)
 * @param maxWait       how long a request waits for its turn before it is answered 503 with {@code Retry-After}
 */
@Validated
@ConfigurationProperties("verigen.orchestrator.api")
public record ApiConcurrencyProperties(@Min(1) @DefaultValue("8") int maxConcurrent,
                                       @NotNull @DefaultValue("5s") Duration maxWait) {
}
