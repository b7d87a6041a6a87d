package dev.verigen.gateway.access;

import dev.verigen.support.access.Scope;
import java.time.Duration;
import java.util.Set;

/**
 * One API key row as the gateway's single round trip saw it, with the outcome of its rate-limit step.
 *
 * @param admitted      whether the request took a slot of the key's rate limit (only ever for a matching secret,
 *                      an unrevoked key and the needed scope, so failed attempts never use up a key's budget)
 * @param remaining     requests the key may still make at once, after this one; 0 when not admitted
 * @param retryAfter    when not admitted by the limit: how long until the next request would be
 * @param maxBodyBytes  the key's own body limit; null: the gateway's default
 */
public record KeyCheck(String keyId, String tenant, byte[] secretHash, Set<Scope> scopes, boolean revoked,
                int requestsPerMinute, int burst, Long maxBodyBytes,
                boolean admitted, int remaining, Duration retryAfter) {
}
