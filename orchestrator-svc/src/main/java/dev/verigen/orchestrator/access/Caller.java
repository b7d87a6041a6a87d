package dev.verigen.orchestrator.access;

/**
 * Who is calling: the tenant every resource of the request belongs to, and the key that proved it. Controllers take
 * it as a parameter ({@link CallerResolver}); a resource of another tenant is reported as not found, never shown.
 *
 * @param keyId the API key's public id; null for the configured anonymous tenant (tests, a gateway-less dev setup)
 */
public record Caller(String tenant, String keyId) {
}
