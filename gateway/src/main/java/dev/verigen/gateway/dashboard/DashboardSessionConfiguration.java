package dev.verigen.gateway.dashboard;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionManager;

/**
 * Dashboard sessions: in this gateway instance's memory (the key never leaves the server), behind a cookie that
 * scripts cannot read ({@code HttpOnly}), that no other site's request carries ({@code SameSite=Strict}), scoped to
 * {@code /ui}. A gateway restart signs everyone out; behind several gateway instances the dashboard needs sticky
 * sessions (docs/architecture.md).
 */
@Configuration(proxyBeanMethods = false)
class DashboardSessionConfiguration {

    static final String COOKIE = "VERIGEN_UI";
    static final Duration MAX_IDLE = Duration.ofHours(2);
    static final int MAX_SESSIONS = 10_000;

    @Bean(name = "webSessionManager")
    WebSessionManager webSessionManager(DashboardProperties properties) {
        CookieWebSessionIdResolver cookies = new CookieWebSessionIdResolver();
        cookies.setCookieName(COOKIE);
        cookies.setCookieMaxAge(Duration.ofSeconds(-1)); // a browser-session cookie
        cookies.addCookieInitializer(cookie -> cookie.path("/ui").httpOnly(true).sameSite("Strict")
                .secure(properties.secureCookie()));
        InMemoryWebSessionStore store = new InMemoryWebSessionStore();
        store.setMaxSessions(MAX_SESSIONS);
        DefaultWebSessionManager manager = new DefaultWebSessionManager();
        manager.setSessionIdResolver(cookies);
        manager.setSessionStore(store);
        return manager;
    }
}
