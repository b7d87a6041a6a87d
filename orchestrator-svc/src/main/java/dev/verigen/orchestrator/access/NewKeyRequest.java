package dev.verigen.orchestrator.access;

import dev.verigen.orchestrator.web.JsonFields;
import dev.verigen.support.access.Scope;
import dev.verigen.support.problems.ApiProblem;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A {@code POST /v1/tenants/{t}/keys} body, checked field by field; limits left out take the configured defaults.
 *
 * @param scopes in {@link Scope} order, without repeats
 */
record NewKeyRequest(String name, List<Scope> scopes, int requestsPerMinute, int burst, Long maxBodyBytes) {

    private static final Set<String> FIELDS = Set.of("name", "scopes", "requestsPerMinute", "burst", "maxBodyBytes");
    private static final String KNOWN_SCOPES = EnumSet.allOf(Scope.class).stream().map(Scope::wire)
            .collect(Collectors.joining(", "));

    static NewKeyRequest parse(JsonNode body, AccessProperties.KeyDefaults defaults) {
        JsonFields f = new JsonFields();
        if (body == null || !body.isObject()) {
            f.reject("$", "the body must be a JSON object {name, scopes, requestsPerMinute?, burst?, maxBodyBytes?}");
            throw ApiProblem.invalid(f.errors());
        }
        f.onlyKnown(body, "", FIELDS);
        String name = f.text(body, "name", "name", true, KeyLimits.MAX_NAME_CHARS);
        List<Scope> scopes = scopes(body.get("scopes"), f);
        Long rpm = f.integer(body, "requestsPerMinute", "requestsPerMinute", 1, KeyLimits.MAX_REQUESTS_PER_MINUTE);
        Long burst = f.integer(body, "burst", "burst", 1, KeyLimits.MAX_BURST);
        // an explicit null asks for the gateway's default, as leaving the field out does
        Long maxBody = body.has("maxBodyBytes")
                ? f.integer(body, "maxBodyBytes", "maxBodyBytes", 1, KeyLimits.MAX_BODY_BYTES)
                : defaults.maxBodyBytes();
        if (!f.errors().isEmpty()) {
            throw ApiProblem.invalid(f.errors());
        }
        return new NewKeyRequest(name, scopes,
                rpm == null ? defaults.requestsPerMinute() : rpm.intValue(),
                burst == null ? defaults.burst() : burst.intValue(), maxBody);
    }

    private static List<Scope> scopes(JsonNode node, JsonFields f) {
        if (node == null || node.isNull()) {
            f.reject("scopes", "is required: an array of one or more of " + KNOWN_SCOPES);
            return List.of();
        }
        // more items than there are scopes can only be repeats or mistakes: refused whole, not item by item
        if (!node.isArray() || node.isEmpty() || node.size() > Scope.values().length) {
            f.reject("scopes", "must be an array of one to " + Scope.values().length + " of " + KNOWN_SCOPES);
            return List.of();
        }
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            var scope = item.isString() ? Scope.fromWire(item.stringValue()) : java.util.Optional.<Scope>empty();
            if (scope.isEmpty()) {
                f.reject("scopes[" + i + "]", "unknown scope; expected one of " + KNOWN_SCOPES);
            } else if (!scopes.add(scope.get())) {
                f.reject("scopes[" + i + "]", "'" + scope.get().wire() + "' is listed twice");
            }
        }
        return new ArrayList<>(scopes);
    }
}
