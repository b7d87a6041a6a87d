package dev.verigen.gateway.dashboard;

import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Shared bits of the page controllers. */
final class Pages {

    private Pages() {
    }

    /** The error page with the API's status (404 for another tenant's resource, exactly as the API answers). */
    static Mono<String> error(ServerWebExchange exchange, Model model, ApiClient.Answer answer, String what) {
        HttpStatus status = HttpStatus.resolve(answer.status());
        exchange.getResponse().setStatusCode(status == null || status.is2xxSuccessful()
                ? HttpStatus.BAD_GATEWAY : status);
        model.addAttribute("status", answer.status());
        model.addAttribute("what", what);
        model.addAttribute("detail", answer.detail());
        return Mono.just("dashboard/error");
    }

    static Mono<String> key(ServerWebExchange exchange, java.util.function.Function<String, Mono<String>> page) {
        return exchange.getSession().flatMap(s -> page.apply(DashboardSession.key(s)));
    }
}
