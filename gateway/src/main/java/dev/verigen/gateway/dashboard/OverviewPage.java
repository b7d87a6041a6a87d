package dev.verigen.gateway.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code /ui}: the overview ({@code GET /v1/stats/overview}, and for an operator {@code GET /v1/platform/health}),
 * refreshed by htmx every few seconds through {@code /ui/fragments/overview}.
 */
@Controller
public class OverviewPage {

    private final ApiClient api;

    public OverviewPage(ApiClient api) {
        this.api = api;
    }

    @GetMapping({"/ui", "/ui/"})
    public Mono<String> page(ServerWebExchange exchange, Model model) {
        return load(exchange, model, "dashboard/overview");
    }

    @GetMapping("/ui/fragments/overview")
    public Mono<String> fragment(ServerWebExchange exchange, Model model) {
        return load(exchange, model, "dashboard/overview :: content");
    }

    @SuppressWarnings("unchecked")
    private Mono<String> load(ServerWebExchange exchange, Model model, String view) {
        return exchange.getSession().flatMap(session -> {
            String key = DashboardSession.key(session);
            boolean operator = DashboardSession.user(session).operator();
            Mono<ApiClient.Answer> health = operator ? api.get(key, "/v1/platform/health")
                    : Mono.just(new ApiClient.Answer(204, null));
            return Mono.zip(api.get(key, "/v1/stats/overview?minutes=30"), health).flatMap(t -> {
                if (!t.getT1().ok()) {
                    return Pages.error(exchange, model, t.getT1(), "the overview");
                }
                Map<String, Object> stats = (Map<String, Object>) t.getT1().value(api.json());
                model.addAttribute("stats", stats);
                model.addAttribute("health", t.getT2().ok() ? t.getT2().value(api.json()) : null);
                model.addAttribute("runsChart", api.json().writeValueAsString(runsChart(stats)));
                model.addAttribute("usageChart", api.json().writeValueAsString(usageChart(stats)));
                return Mono.just(view);
            });
        });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> runsChart(Map<String, Object> stats) {
        List<Map<String, Object>> minutes = (List<Map<String, Object>>) stats.get("runsPerMinute");
        List<String> labels = new ArrayList<>();
        Map<String, List<Object>> series = new LinkedHashMap<>();
        for (Map<String, Object> m : minutes) {
            labels.add(hhmm(m.get("minute")));
            ((Map<String, Object>) m.get("counts")).forEach((status, n) ->
                    series.computeIfAbsent(status, s -> new ArrayList<>()).add(n));
        }
        List<Map<String, Object>> datasets = new ArrayList<>();
        series.forEach((status, values) -> datasets.add(Map.of("label", status.toLowerCase(java.util.Locale.ROOT),
                "data", values)));
        return Map.of("type", "bar", "data", Map.of("labels", labels, "datasets", datasets),
                "options", Map.of("yTitle", "runs per minute"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> usageChart(Map<String, Object> stats) {
        List<Map<String, Object>> minutes = (List<Map<String, Object>>) stats.get("usagePerMinute");
        List<String> labels = new ArrayList<>();
        List<Object> tokens = new ArrayList<>();
        List<Object> calls = new ArrayList<>();
        for (Map<String, Object> m : minutes) {
            labels.add(hhmm(m.get("minute")));
            tokens.add(m.get("tokens"));
            calls.add(m.get("calls"));
        }
        return Map.of("type", "line", "data", Map.of("labels", labels, "datasets", List.of(
                        Map.of("label", "tokens", "data", tokens, "yAxisID", "y"),
                        Map.of("label", "model calls", "data", calls, "yAxisID", "y2"))),
                "options", Map.of("dualAxis", true, "yTitle", "tokens per minute", "y2Title", "calls per minute"));
    }

    static String hhmm(Object instant) {
        String s = String.valueOf(instant);
        int t = s.indexOf('T');
        return t >= 0 && s.length() >= t + 6 ? s.substring(t + 1, t + 6) : s;
    }
}
