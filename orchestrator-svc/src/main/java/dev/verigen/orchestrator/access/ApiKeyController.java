package dev.verigen.orchestrator.access;

import dev.verigen.orchestrator.tenants.TenantRepository;
import dev.verigen.support.access.ApiKeyTokens;
import dev.verigen.support.access.Scope;
import dev.verigen.support.problems.ApiProblem;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Admin API for a tenant's API keys (the gateway lets only {@code admin} and {@code operator} keys reach it; a tenant
 * admin manages only its own tenant's keys, {@link TenantAccess}). A new key's token is in
 * the creation response and nowhere else: only the SHA-256 of its secret is stored. Every handler takes the
 * {@link Caller} even where it does not use it: resolving it is the check that the request came through a gateway.
 */
@RestController
@RequestMapping("/v1/tenants/{tenant}/keys")
public class ApiKeyController {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyController.class);
    // 36^12 ids make a clash all but impossible; a few tries turn "all but" into "never" without a loop forever
    private static final int ID_ATTEMPTS = 5;
    private static final java.util.regex.Pattern KEY_ID = java.util.regex.Pattern.compile("[a-z0-9]{12}");

    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final AccessProperties properties;
    private final SecureRandom random = new SecureRandom();

    public ApiKeyController(ApiKeyRepository keys, TenantRepository tenants, AccessProperties properties) {
        this.keys = keys;
        this.tenants = tenants;
        this.properties = properties;
    }

    /** The one response that carries the token ({@code key}). */
    public record CreatedKey(String id, String key, String tenant, String name, List<String> scopes,
                             int requestsPerMinute, int burst, Long maxBodyBytes, Instant createdAt) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CreatedKey> create(Caller caller, @PathVariable String tenant, @RequestBody JsonNode body) {
        requireTenant(caller, tenant);
        NewKeyRequest request = NewKeyRequest.parse(body, properties.keyDefaults());
        if (request.scopes().contains(Scope.OPERATOR)) {
            // a tenant admin must not mint a key that sees every tenant
            TenantAccess.requireOperator(caller, "a key with the 'operator' scope");
        }
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            ApiKeyTokens.NewKey key = ApiKeyTokens.generate(random);
            if (keys.insert(new ApiKeyRepository.NewRow(key.id(), tenant, request.name(), key.secretHash(),
                    request.scopes(), request.requestsPerMinute(), request.burst(), request.maxBodyBytes()))) {
                ApiKey stored = keys.find(tenant, key.id()).orElseThrow();
                log.info("API key {} ({}) created for tenant {} by {}", stored.id(), stored.scopes(), tenant,
                        who(caller));
                return ResponseEntity.status(HttpStatus.CREATED)
                        .location(URI.create("/v1/tenants/" + tenant + "/keys/" + stored.id()))
                        .body(new CreatedKey(stored.id(), key.token(), tenant, stored.name(), stored.scopes(),
                                stored.requestsPerMinute(), stored.burst(), stored.maxBodyBytes(),
                                stored.createdAt()));
            }
        }
        throw new IllegalStateException("no free key id after " + ID_ATTEMPTS + " attempts");
    }

    @GetMapping
    public List<ApiKey> list(Caller caller, @PathVariable String tenant) {
        requireTenant(caller, tenant);
        return keys.list(tenant);
    }

    @GetMapping("/{id}")
    public ApiKey get(Caller caller, @PathVariable String tenant, @PathVariable String id) {
        requireTenant(caller, tenant);
        return keys.find(tenant, id).orElseThrow(() -> noKey(tenant, id));
    }

    /** Revokes at once and for good; revoking again answers the first revocation's time. */
    @DeleteMapping("/{id}")
    public Map<String, Object> revoke(Caller caller, @PathVariable String tenant, @PathVariable String id) {
        requireTenant(caller, tenant);
        Instant revokedAt = keys.revoke(tenant, id).orElseThrow(() -> noKey(tenant, id));
        log.info("API key {} of tenant {} revoked (at {}) by {}", id, tenant, revokedAt, who(caller));
        return Map.of("id", id, "revokedAt", revokedAt);
    }

    private void requireTenant(Caller caller, String tenant) {
        TenantAccess.requireAdministers(caller, tenant);
        if (tenant.length() > 64 || !tenants.exists(tenant)) {
            throw ApiProblem.notFound("no tenant '" + abbreviate(tenant) + "'");
        }
    }

    // an id that is not one could be a whole token pasted by mistake: it is not echoed
    private static ApiProblem noKey(String tenant, String id) {
        return ApiProblem.notFound(KEY_ID.matcher(id).matches() ? "tenant '" + tenant + "' has no key '" + id + "'"
                : "tenant '" + tenant + "' has no such key (a key id is the 12 characters [a-z0-9] after 'vg_')");
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    private static String who(Caller caller) {
        return caller.keyId() == null ? "an anonymous caller (no gateway)" : "key " + caller.keyId();
    }
}
