package dev.verigen.orchestrator.tenants;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.orchestrator.access.TenantAccess;
import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.orchestrator.web.JsonFields;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Admin API for tenant budgets. {@code PUT} replaces the caps (an absent or null cap means none) and keeps what is
 * used and reserved. A cap below what is already used + reserved is accepted on purpose: it is how an operator stops
 * a tenant's spending at once; no new job is reserved until the tenant is under the cap again, and jobs in flight
 * still settle what they really spend. The {@link Caller} parameter is unused but makes the request go through
 * the gateway check every other endpoint has (no identity without the gateway secret).
 */
@RestController
@RequestMapping("/v1/tenants/{tenant}/budget")
public class TenantBudgetController {

    private static final Set<String> FIELDS = Set.of("maxTokens", "maxCalls", "maxFlops");

    private final TenantRepository tenants;
    private final BudgetRepository budgets;
    private final TransactionTemplate tx;

    public TenantBudgetController(TenantRepository tenants, BudgetRepository budgets, TransactionTemplate tx) {
        this.tenants = tenants;
        this.budgets = budgets;
        this.tx = tx;
    }

    @GetMapping
    public TenantBudgetView get(Caller caller, @PathVariable String tenant) {
        requireTenant(caller, tenant);
        return tx.execute(status -> budgets.forTenantUpToDate(tenant)).map(b -> TenantBudgetView.of(tenant, b))
                .orElseThrow(() -> ApiProblem.notFound("tenant '" + tenant + "' has no budget of its own; PUT one"));
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<TenantBudgetView> put(Caller caller, @PathVariable String tenant,
                                                @RequestBody JsonNode body) {
        TenantAccess.requireAdministers(caller, tenant);
        JsonFields f = new JsonFields();
        if (body == null || !body.isObject()) {
            f.reject("$", "the body must be a JSON object");
            throw ApiProblem.invalid(f.errors());
        }
        f.onlyKnown(body, "", FIELDS);
        Long maxTokens = f.integer(body, "maxTokens", "maxTokens", 1, Long.MAX_VALUE / 4);
        Long maxCalls = f.integer(body, "maxCalls", "maxCalls", 1, Long.MAX_VALUE / 4);
        Double maxFlops = f.positiveNumber(body, "maxFlops", "maxFlops");
        if (!f.errors().isEmpty()) {
            throw ApiProblem.invalid(f.errors());
        }
        requireTenant(caller, tenant);
        Stored stored = tx.execute(status -> {
            boolean created = budgets.putTenant(tenant, maxTokens, maxCalls, maxFlops);
            return new Stored(created, TenantBudgetView.of(tenant, budgets.forTenantUpToDate(tenant).orElseThrow()));
        });
        return ResponseEntity.status(stored.created() ? HttpStatus.CREATED : HttpStatus.OK).body(stored.view());
    }

    private record Stored(boolean created, TenantBudgetView view) {
    }

    private void requireTenant(Caller caller, String tenant) {
        TenantAccess.requireAdministers(caller, tenant);
        if (tenant.length() > 200 || !tenants.exists(tenant)) {
            throw ApiProblem.notFound("no tenant '" + tenant + "'");
        }
    }
}
