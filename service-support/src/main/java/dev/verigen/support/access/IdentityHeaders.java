package dev.verigen.support.access;

import java.util.List;

/**
 * How the gateway tells the services behind it who is calling, after it has checked the API key. The gateway
 * removes these headers from every incoming request before it sets its own, so a client can never choose its
 * tenant; a service that is configured with the shared gateway secret also refuses identity that lacks it.
 */
public final class IdentityHeaders {

    /** The tenant the key belongs to; every resource the request reads or creates is that tenant's. */
    public static final String TENANT = "X-Verigen-Tenant";
    /** The id (public part) of the key, for audit and usage attribution. */
    public static final String KEY_ID = "X-Verigen-Key-Id";
    /** The key's scopes, comma-separated. */
    public static final String SCOPES = "X-Verigen-Scopes";
    /** Proof that the identity headers were set by a gateway, not by a client that reached a service directly. */
    public static final String GATEWAY_SECRET = "X-Verigen-Gateway-Secret";

    public static final List<String> ALL = List.of(TENANT, KEY_ID, SCOPES, GATEWAY_SECRET);

    private IdentityHeaders() {
    }
}
