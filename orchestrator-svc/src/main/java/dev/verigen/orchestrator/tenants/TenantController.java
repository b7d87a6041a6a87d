package dev.verigen.orchestrator.tenants;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.orchestrator.access.TenantAccess;
import dev.verigen.orchestrator.web.JsonFields;
import dev.verigen.support.problems.ApiProblem;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Admin API for tenants (the gateway lets only {@code admin} and {@code operator} keys reach it; listing and creating
 * tenants is the operator's, a tenant admin reads only its own tenant: {@link TenantAccess}). A tenant is never renamed or
 * deleted here: its id is in every row it owns, and its keys are what an admin revokes to shut it out. Every handler takes the
 * {@link Caller} even where it does not use it: resolving it is the check that the request came through a gateway.
 */
@RestController
@RequestMapping("/v1/tenants")
public class TenantController {

    private static final Logger log = LoggerFactory.getLogger(TenantController.class);
    private static final Set<String> FIELDS = Set.of("id", "name");
    // the same shape as the anonymous-tenant setting: safe in paths, headers and log lines
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final int MAX_NAME = 200;

    private final TenantRepository tenants;

    public TenantController(TenantRepository tenants) {
        this.tenants = tenants;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<TenantRepository.Tenant> create(Caller caller, @RequestBody JsonNode body) {
        TenantAccess.requireOperator(caller, "creating a tenant");
        JsonFields f = new JsonFields();
        if (body == null || !body.isObject()) {
            f.reject("$", "the body must be a JSON object {id, name}");
            throw ApiProblem.invalid(f.errors());
        }
        f.onlyKnown(body, "", FIELDS);
        String id = f.text(body, "id", "id", true, 64);
        if (id != null && !ID.matcher(id).matches()) {
            f.reject("id", "must be 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        String name = f.text(body, "name", "name", true, MAX_NAME);
        if (!f.errors().isEmpty()) {
            throw ApiProblem.invalid(f.errors());
        }
        if (!tenants.create(id, name)) {
            throw ApiProblem.conflict("tenant '" + id + "' exists already");
        }
        log.info("tenant {} created by {}", id, caller.keyId() == null ? "an anonymous caller" : "key " + caller.keyId());
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/v1/tenants/" + id))
                .body(tenants.find(id).orElseThrow());
    }

    @GetMapping
    public List<TenantRepository.Tenant> list(Caller caller) {
        TenantAccess.requireOperator(caller, "listing tenants");
        return tenants.list();
    }

    @GetMapping("/{tenant}")
    public TenantRepository.Tenant get(Caller caller, @PathVariable String tenant) {
        TenantAccess.requireAdministers(caller, tenant);
        return tenants.find(tenant).orElseThrow(() -> ApiProblem.notFound("no tenant '"
                + (tenant.length() > 64 ? tenant.substring(0, 64) + "…" : tenant) + "'"));
    }
}
