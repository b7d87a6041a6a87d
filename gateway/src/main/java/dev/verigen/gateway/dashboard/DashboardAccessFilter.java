package dev.verigen.gateway.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * Guards {@code /ui/**}: no page or fragment without a signed-in session (a page redirects to the sign-in, an htmx
 * fragment answers 401 with {@code HX-Redirect}); every state-changing request — sign-in included — must carry the
 * session's CSRF token (form field {@code _csrf} or header {@code X-CSRF-Token}), else 403. Static assets
 * ({@code /ui/assets/**}) are public files. Every dashboard answer forbids framing and sniffing and carries a
 * content security policy that allows only this origin's scripts and styles, so injected markup could not run even
 * if escaping failed.
 */
@Component
public class DashboardAccessFilter implements WebFilter, Ordered {

    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                              + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Override
    public int getOrder() {
        // after the API key filter (which lets /ui/** through without a key) and before any handler
        return Ordered.HIGHEST_PRECEDENCE + 30;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.equals("/ui") && !path.startsWith("/ui/")) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set("Content-Security-Policy", CSP);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "same-origin");
        if (path.startsWith("/ui/assets/")) {
            return chain.filter(exchange);
        }
        headers.setCacheControl("no-store");
        boolean signIn = path.equals("/ui/login");
        return exchange.getSession().flatMap(session -> {
            if (!signIn && !DashboardSession.signedIn(session)) {
                return toSignIn(exchange);
            }
            if (SAFE.contains(exchange.getRequest().getMethod())) {
                return chain.filter(exchange);
            }
            return csrfToken(exchange).defaultIfEmpty("").flatMap(token -> {
                if (!matches(session, token)) {
                    return refuse(exchange.getResponse(), HttpStatus.FORBIDDEN,
                            "The form was stale or did not come from this dashboard (CSRF token missing or wrong). "
                            + "Reload the page and try again.");
                }
                return chain.filter(exchange);
            });
        });
    }

    private static boolean matches(WebSession session, String token) {
        String expected = session.getAttribute(DashboardSession.CSRF);
        return expected != null && !token.isEmpty() && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private static Mono<String> csrfToken(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(CSRF_HEADER);
        if (header != null) {
            return Mono.just(header);
        }
        MediaType type = exchange.getRequest().getHeaders().getContentType();
        if (type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
            // the exchange caches the parsed form, so the handler reads it again for free
            return exchange.getFormData().mapNotNull(form -> form.getFirst(CSRF_FIELD));
        }
        return Mono.empty();
    }

    private static Mono<Void> toSignIn(ServerWebExchange exchange) {
        ServerHttpResponse response = exchange.getResponse();
        boolean htmx = exchange.getRequest().getHeaders().containsHeader("HX-Request");
        if (htmx || !SAFE.contains(exchange.getRequest().getMethod())) {
            response.getHeaders().set("HX-Redirect", "/ui/login");
            return refuse(response, HttpStatus.UNAUTHORIZED, "Sign in first.");
        }
        String next = exchange.getRequest().getPath().pathWithinApplication().value();
        response.setStatusCode(HttpStatus.SEE_OTHER);
        response.getHeaders().setLocation(URI.create("/ui/login?next=" + java.net.URLEncoder.encode(next,
                StandardCharsets.UTF_8)));
        return response.setComplete();
    }

    private static Mono<Void> refuse(ServerHttpResponse response, HttpStatus status, String message) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
        return response.writeWith(Mono.just(response.bufferFactory()
                .wrap(message.getBytes(StandardCharsets.UTF_8))));
    }
}
