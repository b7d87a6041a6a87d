package dev.verigen.gateway.access;

import java.util.Optional;
import org.springframework.http.HttpHeaders;

/** Where a client puts its API key: {@code Authorization: Bearer <key>} or, for simpler clients, {@code X-Api-Key}. */
public final class Credentials {

    public static final String API_KEY_HEADER = "X-Api-Key";
    private static final String BEARER = "Bearer ";

    private Credentials() {
    }

    public static boolean presented(HttpHeaders headers) {
        return headers.containsHeader(HttpHeaders.AUTHORIZATION) || headers.containsHeader(API_KEY_HEADER);
    }

    /**
     * The presented token; empty when the request carries none. An Authorization header of another scheme yields
     * an empty token (a malformed key), not "none": the client did try to authenticate.
     */
    public static Optional<String> token(HttpHeaders headers) {
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            boolean bearer = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
            return Optional.of(bearer ? authorization.substring(BEARER.length()).strip() : "");
        }
        return Optional.ofNullable(headers.getFirst(API_KEY_HEADER));
    }
}
