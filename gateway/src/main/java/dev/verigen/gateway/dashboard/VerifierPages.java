package dev.verigen.gateway.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** {@code /ui/verifiers}: try a verifier on a candidate ({@code GET /v1/verifiers}, {@code POST /v1/verifications}). */
@Controller
public class VerifierPages {

    private final ApiClient api;

    public VerifierPages(ApiClient api) {
        this.api = api;
    }

    @GetMapping("/ui/verifiers")
    public Mono<String> page(ServerWebExchange exchange, Model model) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("verifier", "{\"type\": \"numeric\"}");
        form.put("candidate", "37 + 48 = 85. Answer: 85");
        form.put("reference", "85");
        return render(exchange, model, form, null, null);
    }

    @PostMapping("/ui/verifiers")
    public Mono<String> verify(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(f -> {
            Map<String, String> form = new LinkedHashMap<>();
            for (String field : List.of("verifier", "candidate", "reference")) {
                form.put(field, f.getFirst(field) == null ? "" : f.getFirst(field));
            }
            Object verifier;
            try {
                verifier = api.json().readTree(form.get("verifier"));
            } catch (RuntimeException e) {
                verifier = form.get("verifier").strip(); // a bare type name, e.g. numeric
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("verifier", verifier);
            body.put("candidate", form.get("candidate"));
            if (!form.get("reference").isEmpty()) {
                body.put("reference", form.get("reference"));
            }
            return Pages.key(exchange, key -> api.post(key, "/v1/verifications", body).flatMap(a ->
                    render(exchange, model, form, a.ok() ? a.value(api.json()) : null, a.ok() ? null : a.detail())));
        });
    }

    private Mono<String> render(ServerWebExchange exchange, Model model, Map<String, String> form, Object result,
                                String problem) {
        return Pages.key(exchange, key -> api.get(key, "/v1/verifiers").map(a -> {
            model.addAttribute("verifiers", a.ok() && a.body() != null
                    ? api.json().writerWithDefaultPrettyPrinter().writeValueAsString(a.body()) : null);
            model.addAttribute("form", form);
            model.addAttribute("result", result);
            model.addAttribute("problem", problem);
            return "dashboard/verifiers";
        }));
    }
}
