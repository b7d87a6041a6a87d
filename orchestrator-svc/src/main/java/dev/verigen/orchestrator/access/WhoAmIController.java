package dev.verigen.orchestrator.access;

import dev.verigen.support.access.Scope;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/whoami}: the tenant and scopes of the calling key, so a client (the dashboard) knows what to offer. */
@RestController
public class WhoAmIController {

    /**
     * @param operator true for a platform operator's key, which sees every tenant
     */
    public record WhoAmI(String tenant, String keyId, List<String> scopes, boolean operator) {
    }

    @GetMapping("/v1/whoami")
    public WhoAmI whoami(Caller caller) {
        return new WhoAmI(caller.tenant(), caller.keyId(),
                caller.scopes().stream().sorted().map(Scope::wire).toList(), caller.isOperator());
    }
}
