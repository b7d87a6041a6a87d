package dev.verigen.gateway.access;

import dev.verigen.gateway.errors.GatewayProblemException;
import dev.verigen.support.access.ApiKeyTokens;
import dev.verigen.support.access.Scope;
import dev.verigen.support.problems.ApiProblem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Decides whether a presented API key may make a request: the key must exist, match, not be revoked, hold the
 * scope the path needs, and have room in its rate limit. Refusals are problems: 401 (one detail for malformed,
 * unknown and revoked keys, so a caller learns nothing about which ids exist), 403, 429, and 503 when the key
 * database cannot be asked (fail closed: without it no key can be checked nor any limit kept).
 */
@Component
public class Gatekeeper {

    static final String RATE_LIMIT_LIMIT = "X-RateLimit-Limit";
    static final String RATE_LIMIT_REMAINING = "X-RateLimit-Remaining";
    private static final Logger log = LoggerFactory.getLogger(Gatekeeper.class);
    private static final long DB_WARNING_INTERVAL_NANOS = 10_000_000_000L;

    private final ApiKeyStore store;
    private final FailedKeyChecks failures;
    private final AtomicLong lastDbWarning = new AtomicLong(System.nanoTime() - DB_WARNING_INTERVAL_NANOS);

    public Gatekeeper(ApiKeyStore store, FailedKeyChecks failures) {
        this.store = store;
        this.failures = failures;
    }

    /**
     * @param client the client's address: its failed checks are counted, and once over their limit its keys are
     *               refused with 429 before any database query
     */
    public Mono<AuthenticatedKey> admit(Optional<String> token, Optional<Scope> needed, String path, String client) {
        if (token.isEmpty()) {
            return Mono.error(unauthorized("This endpoint needs an API key: send 'Authorization: Bearer <key>' "
                                           + "or 'X-Api-Key: <key>'.", "Bearer realm=\"verigen\""));
        }
        Duration blocked = failures.blockedFor(client);
        if (!blocked.isZero()) {
            return Mono.error(new GatewayProblemException(ApiProblem.rateLimited("Too many requests with invalid API "
                    + "keys from this address; retry later.", blocked)));
        }
        Optional<ApiKeyTokens.Presented> presented = ApiKeyTokens.parse(token.get());
        if (presented.isEmpty()) {
            failures.failed(client);
            return Mono.error(invalidKey());
        }
        return store.check(presented.get(), needed)
                .onErrorMap(e -> !(e instanceof GatewayProblemException), this::databaseUnavailable)
                .flatMap(found -> found
                        .map(check -> decide(presented.get(), check, needed, path))
                        .orElseGet(() -> Mono.error(invalidKey())))
                .doOnError(GatewayProblemException.class, e -> {
                    if (e.problem().status() == HttpStatus.UNAUTHORIZED) {
                        failures.failed(client);
                    }
                });
    }

    private static Mono<AuthenticatedKey> decide(ApiKeyTokens.Presented presented, KeyCheck check,
                                                 Optional<Scope> needed, String path) {
        if (!ApiKeyTokens.matches(presented, check.secretHash()) || check.revoked()) {
            return Mono.error(invalidKey());
        }
        if (needed.isPresent() && !needed.get().grantedBy(check.scopes())) {
            return Mono.error(new GatewayProblemException(ApiProblem.forbidden("This API key does not have the '"
                    + needed.get().wire() + "' scope, which " + path + " needs.")));
        }
        if (!check.admitted()) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(RATE_LIMIT_LIMIT, Integer.toString(check.requestsPerMinute()));
            headers.set(RATE_LIMIT_REMAINING, "0");
            return Mono.error(new GatewayProblemException(ApiProblem.rateLimited("This API key is over its limit of "
                    + check.requestsPerMinute() + " requests per minute (bursts of up to " + check.burst() + ").",
                    check.retryAfter()), headers));
        }
        return Mono.just(new AuthenticatedKey(check.keyId(), check.tenant(), check.scopes(),
                check.requestsPerMinute(), check.remaining(), check.maxBodyBytes()));
    }

    private static GatewayProblemException invalidKey() {
        return unauthorized("The API key is not valid.", "Bearer realm=\"verigen\", error=\"invalid_token\"");
    }

    private static GatewayProblemException unauthorized(String detail, String challenge) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return new GatewayProblemException(ApiProblem.unauthorized(detail), headers);
    }

    private GatewayProblemException databaseUnavailable(Throwable cause) {
        long now = System.nanoTime();
        long last = lastDbWarning.get();
        // an outage fails every request; one line per interval says as much as thousands would
        if (now - last >= DB_WARNING_INTERVAL_NANOS && lastDbWarning.compareAndSet(last, now)) {
            log.warn("API keys cannot be checked, refusing requests with 503: {}",
                    NestedExceptionUtils.getMostSpecificCause(cause).toString());
        } else {
            log.debug("API keys cannot be checked", cause);
        }
        return new GatewayProblemException(new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                "Service Unavailable", "API keys cannot be checked right now. Retry later.", List.of()));
    }
}
