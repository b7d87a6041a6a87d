package dev.verigen.gateway.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code /ui/tenants}: an operator creates tenants and manages any tenant's keys and budget; a tenant admin only its own
 * tenant's (the API refuses the rest). A new key's token is shown in the answer to its creation and nowhere else: the
 * page is rendered with it, never redirected to, so it is neither stored nor in a URL.
 */
@Controller
public class TenantPages {

    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern KEY_ID = Pattern.compile("[a-z0-9]{12}");
    private static final List<String> SCOPES = List.of("runs", "experiments", "admin", "operator");

    private final ApiClient api;

    public TenantPages(ApiClient api) {
        this.api = api;
    }

    @GetMapping("/ui/tenants")
    public Mono<String> page(ServerWebExchange exchange, Model model) {
        return render(exchange, model, exchange.getRequest().getQueryParams().getFirst("tenant"), null, null, null);
    }

    @PostMapping("/ui/tenants")
    public Mono<String> act(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(form -> Pages.key(exchange, key -> {
            String action = form.getFirst("action");
            String tenant = form.getFirst("tenant");
            if (action == null) {
                return render(exchange, model, tenant, null, "Unknown action.", null);
            }
            return switch (action) {
                case "create-tenant" -> api.post(key, "/v1/tenants",
                        Map.of("id", value(form, "id"), "name", value(form, "name"))).flatMap(a -> render(exchange,
                        model, a.ok() ? value(form, "id") : tenant, a.ok() ? "Tenant " + value(form, "id") + " created."
                                : null, a.ok() ? null : a.detail(), null));
                case "create-key" -> createKey(exchange, model, key, tenant, form);
                case "revoke-key" -> valid(tenant) && KEY_ID.matcher(value(form, "keyId")).matches()
                        ? api.delete(key, "/v1/tenants/" + tenant + "/keys/" + value(form, "keyId")).flatMap(a ->
                        render(exchange, model, tenant, a.ok() ? "Key " + value(form, "keyId") + " revoked." : null,
                                a.ok() ? null : a.detail(), null))
                        : render(exchange, model, tenant, null, "No such key.", null);
                case "set-budget" -> setBudget(exchange, model, key, tenant, form);
                default -> render(exchange, model, tenant, null, "Unknown action.", null);
            };
        }));
    }

    private Mono<String> createKey(ServerWebExchange exchange, Model model, String key, String tenant,
                                   MultiValueMap<String, String> form) {
        if (!valid(tenant)) {
            return render(exchange, model, tenant, null, "Choose a tenant.", null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", value(form, "name"));
        body.put("scopes", form.getOrDefault("scopes", List.of()).stream().filter(SCOPES::contains).toList());
        putNumber(body, "requestsPerMinute", form.getFirst("requestsPerMinute"));
        putNumber(body, "burst", form.getFirst("burst"));
        return api.post(key, "/v1/tenants/" + tenant + "/keys", body).flatMap(a -> a.ok() && a.body() != null
                ? render(exchange, model, tenant, "Key " + a.body().path("id").asString() + " created.", null,
                Map.of("id", a.body().path("id").asString(), "token", a.body().path("key").asString()))
                : render(exchange, model, tenant, null, a.detail(), null));
    }

    private Mono<String> setBudget(ServerWebExchange exchange, Model model, String key, String tenant,
                                   MultiValueMap<String, String> form) {
        if (!valid(tenant)) {
            return render(exchange, model, tenant, null, "Choose a tenant.", null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        putNumber(body, "maxTokens", form.getFirst("maxTokens"));
        putNumber(body, "maxCalls", form.getFirst("maxCalls"));
        String flops = form.getFirst("maxFlops");
        if (flops != null && !flops.isBlank()) {
            try {
                body.put("maxFlops", Double.parseDouble(flops.strip()));
            } catch (NumberFormatException e) {
                body.put("maxFlops", flops.strip()); // the API names the field
            }
        }
        return api.put(key, "/v1/tenants/" + tenant + "/budget", body).flatMap(a -> render(exchange, model, tenant,
                a.ok() ? "Budget of " + tenant + " set." : null, a.ok() ? null : a.detail(), null));
    }

    private static void putNumber(Map<String, Object> body, String field, String value) {
        if (value != null && !value.isBlank()) {
            try {
                body.put(field, Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                body.put(field, value.strip()); // the API refuses it and names the field
            }
        }
    }

    private static String value(MultiValueMap<String, String> form, String field) {
        String v = form.getFirst(field);
        return v == null ? "" : v.strip();
    }

    private static boolean valid(String tenant) {
        return tenant != null && TENANT.matcher(tenant).matches();
    }

    private Mono<String> render(ServerWebExchange exchange, Model model, String requested, String notice,
                                String problem, Map<String, String> newKey) {
        return exchange.getSession().flatMap(session -> {
            DashboardSession.User user = DashboardSession.user(session);
            String key = DashboardSession.key(session);
            String tenant = valid(requested) ? requested : user.tenant();
            Mono<ApiClient.Answer> tenants = user.operator() ? api.get(key, "/v1/tenants")
                    : Mono.just(new ApiClient.Answer(204, null));
            return Mono.zip(tenants, api.get(key, "/v1/tenants/" + tenant + "/keys"),
                    api.get(key, "/v1/tenants/" + tenant + "/budget")).flatMap(t -> {
                if (!user.admin()) {
                    return Pages.error(exchange, model, new ApiClient.Answer(403, null), "tenants and keys");
                }
                if (t.getT2().status() == 404 && !tenant.equals(user.tenant())) {
                    return Pages.error(exchange, model, t.getT2(), "tenant " + tenant);
                }
                model.addAttribute("tenant", tenant);
                model.addAttribute("tenants", t.getT1().ok() ? t.getT1().value(api.json()) : List.of());
                model.addAttribute("keys", t.getT2().ok() ? t.getT2().value(api.json()) : new ArrayList<>());
                model.addAttribute("budget", t.getT3().ok() ? t.getT3().value(api.json()) : null);
                model.addAttribute("notice", notice);
                model.addAttribute("problem", problem);
                model.addAttribute("newKey", newKey);
                model.addAttribute("scopes", user.operator() ? SCOPES : SCOPES.subList(0, 3));
                return Mono.just("dashboard/tenants");
            });
        });
    }
}
