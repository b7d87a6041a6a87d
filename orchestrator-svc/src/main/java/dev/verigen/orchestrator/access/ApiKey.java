package dev.verigen.orchestrator.access;

import java.time.Instant;
import java.util.List;

/**
 * A stored API key as the admin API shows it: never its secret, nor the secret's hash.
 *
 * @param scopes       wire names ({@code runs}, {@code experiments}, {@code admin})
 * @param maxBodyBytes null: the gateway's default request-size limit
 * @param revokedAt    null while the key is valid; the gateway refuses it from this moment on
 */
public record ApiKey(String id, String tenant, String name, List<String> scopes, int requestsPerMinute, int burst,
                     Long maxBodyBytes, Instant createdAt, Instant revokedAt) {
}
