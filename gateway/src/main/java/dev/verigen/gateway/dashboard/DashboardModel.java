package dev.verigen.gateway.dashboard;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** What every dashboard page shows around its content: who is signed in, the CSRF token its forms carry, the path. */
@ControllerAdvice(basePackageClasses = DashboardModel.class)
class DashboardModel {

    record Page(DashboardSession.User user, String csrf, String path) {
    }

    @ModelAttribute("page")
    Mono<Page> page(ServerWebExchange exchange) {
        return exchange.getSession().map(session -> new Page(DashboardSession.user(session),
                DashboardSession.csrf(session), exchange.getRequest().getPath().pathWithinApplication().value()));
    }
}
