package dev.verigen.gateway.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The dashboard's settings ({@code verigen.gateway.dashboard.*}).
 *
 * @param secureCookie  mark the session cookie {@code Secure} (send it over HTTPS only): true wherever the gateway is
 *                      reached over TLS; false for plain-HTTP local runs
 * @param apiUrl        where the dashboard calls the public API; blank: this gateway itself (its own port on
 *                      127.0.0.1), so every call passes the same key check, scopes and rate limit as any client's
 */
@ConfigurationProperties("verigen.gateway.dashboard")
public record DashboardProperties(boolean secureCookie, String apiUrl) {
}
