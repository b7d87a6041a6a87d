package dev.verigen.gateway.access;

import java.util.Optional;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;

/**
 * Scopes are checked on the path as the gateway sees it, and the upstream (Tomcat + Spring MVC) normalises paths
 * before it routes them: {@code /v1/runs/../tenants} or {@code /v1//tenants} would be checked as a runs or
 * unmapped path here and served as the admin API there. Paths whose meaning depends on such normalisation are
 * refused instead of guessed at.
 */
final class CanonicalPath {

    private CanonicalPath() {
    }

    /** Why {@code path} is not canonical; empty when it is. */
    static Optional<String> violation(RequestPath path) {
        if (path.value().contains("//")) {
            return Optional.of("empty path segments ('//') are not allowed");
        }
        for (PathContainer.Element element : path.elements()) {
            if (element instanceof PathContainer.PathSegment segment) {
                String value = segment.valueToMatch(); // percent-decoded, matrix parameters removed
                if (value.equals(".") || value.equals("..")) {
                    return Optional.of("'.' and '..' path segments are not allowed");
                }
                if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
                    return Optional.of("encoded slashes and backslashes are not allowed in the path");
                }
            }
        }
        return Optional.empty();
    }
}
