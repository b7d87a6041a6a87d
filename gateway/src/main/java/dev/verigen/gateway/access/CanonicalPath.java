package dev.verigen.gateway.access;

import java.util.List;
import java.util.Optional;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;

/**
 * Scopes are checked on the path as the gateway sees it, and the upstream (Tomcat + Spring MVC) normalises paths
 * before it routes them: {@code /v1/runs/../tenants} or {@code /v1//tenants} would be checked as a runs or
 * unmapped path here and served as the admin API there. Paths whose meaning depends on such normalisation are
 * refused instead of guessed at. One exception: a model id ({@code /v1/models/bon-8%2Fsim-math}, as OpenAI clients
 * send {@code bon-8/sim-math}) may hold encoded slashes, because the orchestrator passes them through undecoded, so
 * they can never become path separators there.
 */
final class CanonicalPath {

    private CanonicalPath() {
    }

    /** Why {@code path} is not canonical; empty when it is. */
    static Optional<String> violation(RequestPath path) {
        if (path.value().contains("//")) {
            return Optional.of("empty path segments ('//') are not allowed");
        }
        List<String> segments = path.elements().stream()
                .filter(e -> e instanceof PathContainer.PathSegment)
                .map(e -> ((PathContainer.PathSegment) e).valueToMatch()) // percent-decoded, no matrix parameters
                .toList();
        for (int i = 0; i < segments.size(); i++) {
            String value = segments.get(i);
            boolean modelId = i == 2 && segments.size() == 3 && segments.get(0).equals("v1")
                              && segments.get(1).equals("models");
            for (String part : modelId ? value.split("/", -1) : new String[] {value}) {
                if (part.equals(".") || part.equals("..") || modelId && part.isEmpty()) {
                    return Optional.of("'.' and '..' path segments are not allowed");
                }
            }
            if (!modelId && value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
                return Optional.of("encoded slashes and backslashes are not allowed in the path");
            }
        }
        return Optional.empty();
    }
}
