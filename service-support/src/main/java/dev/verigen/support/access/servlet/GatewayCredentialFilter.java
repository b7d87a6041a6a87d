package dev.verigen.support.access.servlet;

import dev.verigen.support.access.GatewayCredential;
import dev.verigen.support.access.IdentityHeaders;
import dev.verigen.support.problems.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Refuses, with 401, every request that does not carry the gateway's credential, before any controller or actuator
 * endpoint sees it; only the open paths (health probes) are answered to anyone. The services behind the gateway are
 * not meant to be reachable by clients at all, but a port that is reachable anyway must not run code or hand out
 * data (verifier-svc ran candidates' code for anyone who reached it).
 */
public class GatewayCredentialFilter extends OncePerRequestFilter {

    // fixed ASCII text: nothing to escape
    private static final String REFUSAL = "{\"type\":\"" + Problems.TYPE_PREFIX + "unauthorized\",\"title\":\"Unauthorized\","
            + "\"status\":401,\"detail\":\"this service answers only the platform's own callers: call it through the "
            + "gateway\",\"field\":\"" + IdentityHeaders.GATEWAY_SECRET + "\",\"errors\":[{\"field\":\"" + IdentityHeaders.GATEWAY_SECRET + "\",\"message\":\"missing or "
            + "not the gateway's credential\"}],\"error\":{\"message\":\"call this service through the gateway\","
            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unauthorized\"}}";

    private final GatewayCredential credential;
    private final List<PathPattern> openPaths;

    public GatewayCredentialFilter(GatewayCredential credential, List<String> openPaths) {
        this.credential = credential;
        this.openPaths = openPaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (credential.admits(request.getHeader(IdentityHeaders.GATEWAY_SECRET),
                request.getHeader(HttpHeaders.AUTHORIZATION)) || isOpen(request)) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType(Problems.MEDIA_TYPE);
        byte[] body = REFUSAL.getBytes(StandardCharsets.US_ASCII);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private boolean isOpen(HttpServletRequest request) {
        // the container's normalised, decoded path (servlet path and path info), never the raw URI: a raw
        // '/actuator/health/../prometheus' would match an open pattern and then be served as another path
        String normalised = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        PathContainer path = PathContainer.parsePath(normalised);
        return openPaths.stream().anyMatch(p -> p.matches(path));
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }
}
