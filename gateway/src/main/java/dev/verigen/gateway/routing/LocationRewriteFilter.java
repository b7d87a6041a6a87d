package dev.verigen.gateway.routing;

import dev.verigen.gateway.config.GatewayProperties;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Makes a {@code Location} header that points at the orchestrator relative (path and query only), so
 * clients follow it through the gateway and never learn internal hostnames. Other Locations pass unchanged.
 */
@Component
public class LocationRewriteFilter implements GlobalFilter, Ordered {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1", "0:0:0:0:0:0:0:1");

    private final URI orchestrator;

    public LocationRewriteFilter(GatewayProperties properties) {
        this.orchestrator = properties.orchestratorUrl();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            String location = headers.getFirst(HttpHeaders.LOCATION);
            if (location != null) {
                String rewritten = rewrite(location);
                if (!rewritten.equals(location)) {
                    headers.set(HttpHeaders.LOCATION, rewritten);
                }
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    /** Returns the relative form of {@code location} if it points at the orchestrator, else {@code location}. */
    String rewrite(String location) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            return location;
        }
        if (!uri.isAbsolute() || uri.getHost() == null || !pointsAtOrchestrator(uri)) {
            return location;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String fragment = uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment();
        return path + query + fragment;
    }

    private boolean pointsAtOrchestrator(URI uri) {
        if (port(uri) != port(orchestrator)) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String target = orchestrator.getHost() == null ? "" : orchestrator.getHost().toLowerCase(Locale.ROOT);
        return host.equals(target) || (LOOPBACK.contains(host) && LOOPBACK.contains(target));
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
