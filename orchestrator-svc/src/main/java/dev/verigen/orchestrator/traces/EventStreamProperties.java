package dev.verigen.orchestrator.traces;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Server-sent event streams of run progress ({@code verigen.orchestrator.events}).
 *
 * @param pollInterval      how often the one poller looks for new events of every open stream
 * @param heartbeatInterval an idle stream gets a comment line this often, so proxies keep it open and a client that
 *                          went away is noticed
 * @param maxLifetime       a stream closes after this long even if its run is still going; the client resumes
 *                          with {@code Last-Event-ID}
 */
@Validated
@ConfigurationProperties("verigen.orchestrator.events")
public record EventStreamProperties(@NotNull Duration pollInterval, @NotNull Duration heartbeatInterval,
                                    @NotNull Duration maxLifetime) {

    public EventStreamProperties {
        pollInterval = positive(pollInterval, Duration.ofMillis(200));
        heartbeatInterval = positive(heartbeatInterval, Duration.ofSeconds(15));
        maxLifetime = positive(maxLifetime, Duration.ofMinutes(10));
    }

    private static Duration positive(Duration value, Duration fallback) {
        return value == null || value.isZero() || value.isNegative() ? fallback : value;
    }
}
