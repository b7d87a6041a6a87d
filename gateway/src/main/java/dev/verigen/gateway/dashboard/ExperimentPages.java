package dev.verigen.gateway.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /ui/experiments} (list, create from JSON or from a small form) and {@code /ui/experiments/{id}} (progress,
 * the scaling plots, CSV download), all through {@code /v1/experiments}.
 */
@Controller
public class ExperimentPages {

    static final String EXAMPLE = """
            {
              "name": "bon vs vote",
              "dataset": {"suite": "sim-math", "limit": 10},
              "pipelines": [
                {"name": "bon-8", "pipeline": {"strategy": "best_of_n", "n": 8, "model": "sim-math", "rewardModel": "sim-orm"}},
                {"name": "maj-8", "pipeline": {"strategy": "self_consistency", "n": 8, "model": "sim-math"}}
              ],
              "budgets": [{"name": "2k", "maxTokens": 2000}, {"name": "8k", "maxTokens": 8000}],
              "seeds": [1],
              "concurrency": 8
            }""";
    /** Runs read to chart a compute_optimal arm's spend per difficulty bin (pages of 200). */
    static final int MAX_RUN_PAGES = 10;

    private final ApiClient api;

    public ExperimentPages(ApiClient api) {
        this.api = api;
    }

    @GetMapping("/ui/experiments")
    public Mono<String> list(ServerWebExchange exchange, Model model) {
        return render(exchange, model, null, EXAMPLE);
    }

    private Mono<String> render(ServerWebExchange exchange, Model model, String problem, String json) {
        return Pages.key(exchange, key -> api.get(key, "/v1/experiments").flatMap(answer -> {
            if (!answer.ok()) {
                return Pages.error(exchange, model, answer, "the experiments");
            }
            model.addAttribute("experiments", answer.value(api.json()));
            model.addAttribute("problem", problem);
            model.addAttribute("json", json);
            return Mono.just("dashboard/experiments");
        }));
    }

    @PostMapping("/ui/experiments")
    public Mono<String> create(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(form -> {
            String json = "form".equals(form.getFirst("from")) ? fromForm(form) : form.getFirst("json");
            if (json == null || json.isBlank()) {
                return render(exchange, model, "Paste an experiment as JSON, or fill in the form.", EXAMPLE);
            }
            return Pages.key(exchange, key -> api.post(key, "/v1/experiments", json).flatMap(answer -> {
                if (answer.ok() && answer.body() != null && answer.body().hasNonNull("id")) {
                    return Mono.just("redirect:/ui/experiments/" + answer.body().get("id").asString());
                }
                return render(exchange, model, answer.detail(), json);
            }));
        });
    }

    /** The small form: one suite, one or two strategies on one pool, one budget, seeds. */
    static String fromForm(MultiValueMap<String, String> form) {
        String suite = Objects.requireNonNullElse(form.getFirst("suite"), "sim-math");
        String model = Objects.requireNonNullElse(form.getFirst("model"), "sim-math");
        int n = parse(form.getFirst("n"), 8);
        int limit = parse(form.getFirst("limit"), 10);
        List<Map<String, Object>> pipelines = new ArrayList<>();
        for (String strategy : form.getOrDefault("strategy", List.of("best_of_n"))) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("strategy", strategy);
            p.put("n", n);
            p.put("model", model);
            if ("best_of_n".equals(strategy)) {
                p.put("rewardModel", "sim-orm");
            }
            pipelines.add(Map.of("name", strategy + "-" + n, "pipeline", p));
        }
        Map<String, Object> experiment = new LinkedHashMap<>();
        experiment.put("name", Objects.requireNonNullElse(form.getFirst("name"), "experiment"));
        experiment.put("dataset", Map.of("suite", suite, "limit", limit));
        experiment.put("pipelines", pipelines);
        int tokens = parse(form.getFirst("maxTokens"), 0);
        if (tokens > 0) {
            experiment.put("budgets", List.of(Map.of("name", tokens + "", "maxTokens", tokens)));
        }
        List<Long> seeds = new ArrayList<>();
        for (int s = 1; s <= Math.max(1, Math.min(16, parse(form.getFirst("seeds"), 1))); s++) {
            seeds.add((long) s);
        }
        experiment.put("seeds", seeds);
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(experiment);
    }

    private static int parse(String s, int otherwise) {
        try {
            return s == null || s.isBlank() ? otherwise : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    @GetMapping("/ui/experiments/{id}")
    public Mono<String> detail(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return load(id, exchange, model, "dashboard/experiment");
    }

    @GetMapping("/ui/experiments/{id}/progress")
    public Mono<String> progress(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return load(id, exchange, model, "dashboard/experiment :: live");
    }

    @GetMapping("/ui/experiments/{id}/results.csv")
    public Mono<ResponseEntity<String>> csv(@PathVariable String id, ServerWebExchange exchange) {
        UUID experiment = RunPages.uuid(id);
        if (experiment == null) {
            return Mono.just(ResponseEntity.notFound().build());
        }
        return exchange.getSession().flatMap(s -> api.text(DashboardSession.key(s),
                "/v1/experiments/" + experiment + "/results.csv").map(r -> r.getKey() == 200
                ? ResponseEntity.ok().contentType(new MediaType("text", "csv"))
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"experiment-" + experiment
                                                                 + ".csv\"").body(r.getValue())
                : ResponseEntity.status(r.getKey()).contentType(MediaType.TEXT_PLAIN).body("not available")));
    }

    @PostMapping("/ui/experiments/{id}/cancel")
    public Mono<String> cancel(@PathVariable String id, ServerWebExchange exchange, Model model) {
        UUID experiment = RunPages.uuid(id);
        if (experiment == null) {
            return Pages.error(exchange, model, new ApiClient.Answer(404, null), "experiment " + id);
        }
        return Pages.key(exchange, key -> api.post(key, "/v1/experiments/" + experiment + "/cancel", "{}")
                .flatMap(a -> a.ok() ? Mono.just("redirect:/ui/experiments/" + experiment)
                        : Pages.error(exchange, model, a, "cancelling experiment " + experiment)));
    }

    @SuppressWarnings("unchecked")
    private Mono<String> load(String id, ServerWebExchange exchange, Model model, String view) {
        UUID experiment = RunPages.uuid(id);
        if (experiment == null) {
            return Pages.error(exchange, model, new ApiClient.Answer(404, null), "experiment " + id);
        }
        String base = "/v1/experiments/" + experiment;
        return Pages.key(exchange, key -> Mono.zip(api.get(key, base), api.get(key, base + "/results"))
                .flatMap(t -> {
                    if (!t.getT1().ok()) {
                        return Pages.error(exchange, model, t.getT1(), "experiment " + experiment);
                    }
                    Map<String, Object> exp = (Map<String, Object>) t.getT1().value(api.json());
                    Map<String, Object> results = t.getT2().ok() ? (Map<String, Object>) t.getT2().value(api.json())
                            : Map.of();
                    Map<String, Object> report = (Map<String, Object>) results.getOrDefault("report", Map.of());
                    List<Map<String, Object>> arms = (List<Map<String, Object>>) report.getOrDefault("arms", List.of());
                    model.addAttribute("experiment", exp);
                    model.addAttribute("arms", arms);
                    model.addAttribute("running", "RUNNING".equals(exp.get("status")));
                    model.addAttribute("accuracyChart", json(ExperimentCharts.accuracyVsTokens(arms)));
                    model.addAttribute("passChart", json(ExperimentCharts.atK(arms, "passAtK", "pass@k (coverage)")));
                    model.addAttribute("majorityChart", json(ExperimentCharts.atK(arms, "majorityAtK", "majority@k")));
                    model.addAttribute("bestOfNChart", json(ExperimentCharts.atK(arms, "bestOfNAtK", "best-of-N@k")));
                    model.addAttribute("ratesChart", json(ExperimentCharts.verifierRates(arms)));
                    boolean computeOptimal = ((List<Map<String, Object>>) exp.getOrDefault("arms", List.of()))
                            .stream().anyMatch(a -> "compute_optimal".equals(a.get("strategy")));
                    model.addAttribute("computeOptimal", computeOptimal);
                    if (!computeOptimal) {
                        model.addAttribute("spendChart", null);
                        return Mono.just(view);
                    }
                    return spend(key, experiment, report, exp).map(chart -> {
                        model.addAttribute("spendChart", json(chart));
                        return view;
                    });
                }));
    }

    /** compute_optimal's tokens per item, by the item's difficulty bin (pooled pass@1 over every arm, quartiles). */
    @SuppressWarnings("unchecked")
    private Mono<Map<String, Object>> spend(String key, UUID experiment, Map<String, Object> report,
                                            Map<String, Object> exp) {
        Mono<List<Map<String, Object>>> cells = api.get(key, "/v1/experiments/" + experiment + "/runs")
                .map(a -> a.ok() ? (List<Map<String, Object>>) a.value(api.json()) : List.of());
        Mono<Map<String, Long>> tokens = pages(key, "/v1/runs?limit=200&experiment=" + experiment, null, 0)
                .collectMap(r -> (String) r.get("id"), r -> ((Number) r.getOrDefault("tokens", 0L)).longValue());
        List<String> optimalArms = ((List<Map<String, Object>>) exp.getOrDefault("arms", List.of())).stream()
                .filter(a -> "compute_optimal".equals(a.get("strategy"))).map(a -> (String) a.get("name")).toList();
        return Mono.zip(cells, tokens).map(t -> ExperimentCharts.spendPerBin(
                (List<Map<String, Object>>) report.getOrDefault("items", List.of()), t.getT1(), t.getT2(), optimalArms));
    }

    @SuppressWarnings("unchecked")
    private Flux<Map<String, Object>> pages(String key, String path, String cursor, int page) {
        if (page >= MAX_RUN_PAGES) {
            return Flux.empty();
        }
        return api.get(key, cursor == null ? path : path + "&cursor=" + cursor).flatMapMany(a -> {
            if (!a.ok()) {
                return Flux.empty();
            }
            Map<String, Object> body = (Map<String, Object>) a.value(api.json());
            Flux<Map<String, Object>> items = Flux.fromIterable((List<Map<String, Object>>) body.get("items"));
            Object next = body.get("nextCursor");
            return next == null ? items : items.concatWith(pages(key, path,
                    java.net.URLEncoder.encode(next.toString(), java.nio.charset.StandardCharsets.UTF_8), page + 1));
        });
    }

    private String json(Object o) {
        return o == null ? null : api.json().writeValueAsString(o);
    }

    static String lower(Object o) {
        return Objects.toString(o, "").toLowerCase(Locale.ROOT);
    }

    static Comparator<Map<String, Object>> byName() {
        return Comparator.comparing(m -> Objects.toString(m.get("arm"), ""));
    }
}
