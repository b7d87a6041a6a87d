package dev.verigen.gateway.dashboard;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.springframework.web.server.WebSession;

/**
 * What a dashboard session holds, all of it server-side: the signed-in API key (never sent to the browser, which only
 * holds the session cookie), the key's tenant and scopes as {@code GET /v1/whoami} reported them at sign-in, and the
 * session's CSRF token.
 */
public final class DashboardSession {

    static final String KEY = "verigen.dashboard.key";
    static final String TENANT = "verigen.dashboard.tenant";
    static final String SCOPES = "verigen.dashboard.scopes";
    static final String OPERATOR = "verigen.dashboard.operator";
    static final String CSRF = "verigen.dashboard.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DashboardSession() {
    }

    /** The signed-in user as the templates see it. */
    public record User(String tenant, List<String> scopes, boolean operator) {

        public boolean admin() {
            return operator || scopes.contains("admin");
        }

        public boolean experiments() {
            return scopes.contains("experiments");
        }
    }

    public static boolean signedIn(WebSession session) {
        return session.getAttribute(KEY) != null;
    }

    public static String key(WebSession session) {
        return session.getAttribute(KEY);
    }

    public static User user(WebSession session) {
        List<String> scopes = session.getAttribute(SCOPES);
        return new User(session.getAttribute(TENANT), scopes == null ? List.of() : scopes,
                Boolean.TRUE.equals(session.getAttribute(OPERATOR)));
    }

    static void signIn(WebSession session, String key, String tenant, List<String> scopes, boolean operator) {
        session.getAttributes().put(KEY, key);
        session.getAttributes().put(TENANT, tenant);
        session.getAttributes().put(SCOPES, List.copyOf(scopes));
        session.getAttributes().put(OPERATOR, operator);
        session.getAttributes().put(CSRF, newToken()); // a new token for the signed-in session
    }

    /** The session's CSRF token, made on first use. */
    public static String csrf(WebSession session) {
        String token = session.getAttribute(CSRF);
        if (token == null) {
            token = newToken();
            session.getAttributes().put(CSRF, token);
        }
        return token;
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
