package dev.verigen.gateway.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code /ui/runs} (the list: {@code GET /v1/runs} with its filters and cursor) and {@code /ui/runs/{id}} (a run:
 * {@code GET /v1/runs/{id}} and its trace, drawn as a search tree, or an Archon run as its layers, and a job timeline,
 * refreshed by htmx while it runs).
 */
@Controller
public class RunPages {

    static final List<String> FILTERS = List.of("status", "strategy", "model", "tenant", "experiment", "createdFrom",
            "createdTo");

    private final ApiClient api;

    public RunPages(ApiClient api) {
        this.api = api;
    }

    @GetMapping("/ui/runs")
    @SuppressWarnings("unchecked")
    public Mono<String> list(ServerWebExchange exchange, Model model) {
        MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
        Map<String, String> filters = new LinkedHashMap<>();
        for (String f : FILTERS) {
            String v = query.getFirst(f);
            filters.put(f, v == null ? "" : v.strip());
        }
        String cursor = query.getFirst("cursor");
        StringBuilder api = new StringBuilder("/v1/runs?limit=50");
        StringBuilder keep = new StringBuilder();
        filters.forEach((k, v) -> {
            if (!v.isEmpty()) {
                String param = "&" + k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8);
                api.append(param);
                keep.append(param);
            }
        });
        if (cursor != null && !cursor.isBlank()) {
            api.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        model.addAttribute("filters", filters);
        return Pages.key(exchange, key -> this.api.get(key, api.toString()).flatMap(answer -> {
            if (answer.status() == 400 || answer.status() == 403) {
                model.addAttribute("problem", answer.detail());
                model.addAttribute("runs", Map.of("items", List.of(), "total", 0));
                model.addAttribute("next", null);
                model.addAttribute("first", null);
                return Mono.just("dashboard/runs");
            }
            if (!answer.ok()) {
                return Pages.error(exchange, model, answer, "the runs");
            }
            Map<String, Object> page = (Map<String, Object>) answer.value(this.api.json());
            model.addAttribute("problem", null);
            model.addAttribute("runs", page);
            String base = "/ui/runs?" + (keep.isEmpty() ? "" : keep.substring(1));
            model.addAttribute("next", page.get("nextCursor") == null ? null
                    : base + (keep.isEmpty() ? "" : "&") + "cursor="
                      + URLEncoder.encode(page.get("nextCursor").toString(), StandardCharsets.UTF_8));
            model.addAttribute("first", cursor == null || cursor.isBlank() ? null : base);
            return Mono.just("dashboard/runs");
        }));
    }

    @GetMapping("/ui/runs/{id}")
    public Mono<String> detail(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return load(id, exchange, model, "dashboard/run");
    }

    /** The run's live part, polled by htmx every two seconds while the run is RUNNING. */
    @GetMapping("/ui/runs/{id}/live")
    public Mono<String> live(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return load(id, exchange, model, "dashboard/run :: live");
    }

    /** The raw trace, for a user who wants the JSON (read with the session's key). */
    @GetMapping(path = "/ui/runs/{id}/trace.json")
    public Mono<org.springframework.http.ResponseEntity<String>> traceJson(@PathVariable String id,
                                                                          ServerWebExchange exchange) {
        UUID run = uuid(id);
        return exchange.getSession().flatMap(s -> run == null
                ? Mono.just(org.springframework.http.ResponseEntity.notFound().<String>build())
                : api.text(DashboardSession.key(s), "/v1/runs/" + run + "/trace").map(r ->
                        org.springframework.http.ResponseEntity.status(r.getKey())
                                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(r.getValue())));
    }

    @PostMapping("/ui/runs/{id}/cancel")
    public Mono<String> cancel(@PathVariable String id, ServerWebExchange exchange, Model model) {
        UUID run = uuid(id);
        if (run == null) {
            return Pages.error(exchange, model, new ApiClient.Answer(404, null), "run " + id);
        }
        return Pages.key(exchange, key -> api.post(key, "/v1/runs/" + run + "/cancel", "{}").flatMap(answer ->
                answer.ok() ? Mono.just("redirect:/ui/runs/" + run) : Pages.error(exchange, model, answer,
                        "cancelling run " + run)));
    }

    @SuppressWarnings("unchecked")
    private Mono<String> load(String id, ServerWebExchange exchange, Model model, String view) {
        UUID run = uuid(id);
        if (run == null) {
            return Pages.error(exchange, model, new ApiClient.Answer(404, null), "run " + id);
        }
        boolean all = "1".equals(exchange.getRequest().getQueryParams().getFirst("all"));
        return Pages.key(exchange, key -> Mono.zip(api.get(key, "/v1/runs/" + run),
                api.get(key, "/v1/runs/" + run + "/trace")).flatMap(t -> {
            if (!t.getT1().ok()) {
                return Pages.error(exchange, model, t.getT1(), "run " + run);
            }
            if (!t.getT2().ok()) {
                return Pages.error(exchange, model, t.getT2(), "the trace of run " + run);
            }
            Map<String, Object> r = (Map<String, Object>) t.getT1().value(api.json());
            Map<String, Object> trace = (Map<String, Object>) t.getT2().value(api.json());
            String selected = Objects.toString(trace.get("selectedCandidateId"), null);
            List<Map<String, Object>> roots = (List<Map<String, Object>>) trace.getOrDefault("candidates", List.of());
            List<ArchonLayer> layers = ArchonLayer.of(trace.get("layers"));
            // an Archon run's fused and ranked candidates have no parent: its layers say what fed what
            SearchTree.Layout tree = layers.isEmpty() ? SearchTree.layout(roots, selected)
                    : LayerBands.layout(roots, layers, selected);
            model.addAttribute("run", r);
            model.addAttribute("trace", trace);
            model.addAttribute("running", "RUNNING".equals(r.get("status")));
            model.addAttribute("tree", tree);
            model.addAttribute("generations", Generations.of(roots, (Map<String, Object>) r.get("pipeline")));
            List<Map<String, Object>> listed = SearchTree.listed(tree);
            int cap = all ? Integer.MAX_VALUE : 100;
            model.addAttribute("nodes", listed.size() > cap ? listed.subList(0, cap) : listed);
            model.addAttribute("nodesHidden", Math.max(0, listed.size() - cap));
            model.addAttribute("timeline", Timeline.of(trace));
            model.addAttribute("spec", api.json().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(r.get("pipeline")));
            model.addAttribute("votes", votes((List<Map<String, Object>>) r.getOrDefault("candidates", List.of())));
            model.addAttribute("budget", budget((Map<String, Object>) r.get("budget")));
            return Mono.just(view);
        }));
    }

    /**
     * Answers and how many candidates stated each (a self-consistency vote; shown for every strategy). Candidates that
     * state no answer — a search's partial paths, critiques, streamed snapshots — do not vote.
     */
    record Vote(String answer, long count, long passes, boolean winner, long voters) {

        /** Its share of all the votes cast, not of the rows shown (the list stops at 20 answers). */
        public double share() {
            return voters == 0 ? 0 : (double) count / voters;
        }

        /** Formatted here, not by the request's locale, so "50%" reads the same for every visitor. */
        public String percent() {
            return Math.round(share() * 100) + "%";
        }
    }

    static List<Vote> votes(List<Map<String, Object>> candidates) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (Map<String, Object> c : candidates) {
            if ("partial".equals(c.get("finishReason"))) {
                continue;
            }
            if (c.get("extracted") == null || c.get("extracted").toString().isBlank()) {
                continue;
            }
            String answer = c.get("extracted").toString();
            long[] n = counts.computeIfAbsent(answer, a -> new long[2]);
            n[0]++;
            if ("PASS".equals(c.get("verdict"))) {
                n[1]++;
            }
        }
        long top = counts.values().stream().mapToLong(n -> n[0]).max().orElse(0);
        long voters = counts.values().stream().mapToLong(n -> n[0]).sum();
        List<Vote> votes = new ArrayList<>();
        counts.forEach((a, n) -> votes.add(new Vote(a, n[0], n[1], n[0] == top, voters)));
        votes.sort(Comparator.comparingLong(Vote::count).reversed());
        return votes.size() > 20 ? votes.subList(0, 20) : votes;
    }

    /** One budget unit: used and reserved against its cap (null cap: none). */
    record Unit(String name, double used, double reserved, Double cap) {

        public double max() {
            return cap != null ? cap : Math.max(1, used + reserved);
        }
    }

    static List<Unit> budget(Map<String, Object> b) {
        if (b == null) {
            return List.of();
        }
        return List.of(unit("tokens", b, "Tokens"), unit("calls", b, "Calls"), unit("FLOPs", b, "Flops"));
    }

    private static Unit unit(String name, Map<String, Object> b, String suffix) {
        return new Unit(name, num(b.get("used" + suffix)), num(b.get("reserved" + suffix)),
                b.get("max" + suffix) == null ? null : num(b.get("max" + suffix)));
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
