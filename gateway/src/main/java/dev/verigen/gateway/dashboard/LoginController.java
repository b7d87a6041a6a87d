package dev.verigen.gateway.dashboard;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Sign-in with an API key: the key is checked by asking the API who it is ({@code GET /v1/whoami}); if it answers, the
 * session gets a new id (no fixation) and keeps the key server-side. Sign-out invalidates the session.
 */
@Controller
public class LoginController {

    private final ApiClient api;

    public LoginController(ApiClient api) {
        this.api = api;
    }

    @GetMapping("/ui/login")
    public Mono<String> form(@RequestParam(required = false) String next, WebSession session, Model model) {
        model.addAttribute("next", safeNext(next));
        model.addAttribute("csrf", DashboardSession.csrf(session));
        model.addAttribute("error", null);
        return Mono.just("dashboard/login");
    }

    @PostMapping("/ui/login")
    public Mono<String> signIn(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().zipWith(exchange.getSession()).flatMap(t -> {
            MultiValueMap<String, String> form = t.getT1();
            WebSession session = t.getT2();
            String key = form.getFirst("apiKey") == null ? "" : form.getFirst("apiKey").strip();
            String next = safeNext(form.getFirst("next"));
            if (key.isEmpty()) {
                return failed(model, session, next, "Enter an API key.");
            }
            return api.get(key, "/v1/whoami").flatMap(answer -> {
                if (!answer.ok() || answer.body() == null) {
                    return failed(model, session, next, answer.status() == 401
                            ? "That API key is not valid (unknown, revoked or mistyped)." : answer.detail());
                }
                JsonNode who = answer.body();
                List<String> scopes = new ArrayList<>();
                who.path("scopes").forEach(s -> scopes.add(s.asString()));
                return session.changeSessionId().then(Mono.fromCallable(() -> {
                    DashboardSession.signIn(session, key, who.path("tenant").asString(), scopes,
                            who.path("operator").asBoolean(false));
                    return "redirect:" + next;
                }));
            });
        });
    }

    private static Mono<String> failed(Model model, WebSession session, String next, String error) {
        model.addAttribute("next", next);
        model.addAttribute("csrf", DashboardSession.csrf(session));
        model.addAttribute("error", error);
        return Mono.just("dashboard/login");
    }

    @PostMapping("/ui/logout")
    public Mono<String> signOut(WebSession session) {
        return session.invalidate().thenReturn("redirect:/ui/login");
    }

    /** Only a dashboard path of this origin: never an open redirect. */
    static String safeNext(String next) {
        if (next == null || !(next.equals("/ui") || next.startsWith("/ui/")) || next.contains("//")
            || next.contains("\\") || next.startsWith("/ui/login")) {
            return "/ui";
        }
        return next;
    }
}
