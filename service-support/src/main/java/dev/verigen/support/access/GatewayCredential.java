package dev.verigen.support.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The shared secret by which every service behind the gateway recognises a request as the platform's own (sent
 * by the gateway or by another service as {@link IdentityHeaders#GATEWAY_SECRET}, or by a metrics scraper as
 * {@code Authorization: Bearer <secret>}). Without it a service answers only its health probes.
 *
 * <p>A service refuses to start without a secret (so a forgotten setting cannot leave a port open to anyone) unless
 * {@code development} is set: then every request is let in, as a gateway-less development setup and the modules'
 * own tests need.
 */
public final class GatewayCredential {

    /** The environment variable every service reads the secret from. */
    public static final String SECRET_VARIABLE = "VERIGEN_GATEWAY_SECRET";
    /** The environment variable of the development flag that lets a service start without a secret. */
    public static final String DEVELOPMENT_VARIABLE = "VERIGEN_INSECURE_DEVELOPMENT";

    private final byte[] secret;

    private GatewayCredential(String secret) {
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws IllegalStateException when {@code secret} is blank and {@code development} is not set
     */
    public static GatewayCredential of(String secret, boolean development, String service) {
        boolean blank = secret == null || secret.isBlank();
        if (blank && !development) {
            throw new IllegalStateException(service + " will not start without the gateway's credential: set "
                    + SECRET_VARIABLE + " (the same value the gateway has), or " + DEVELOPMENT_VARIABLE
                    + "=true for a development setup in which anyone who reaches its port may call it");
        }
        return new GatewayCredential(blank ? null : secret);
    }

    /** False in development without a secret: every request is let in. */
    public boolean required() {
        return secret != null;
    }

    /** The secret to send to another service; empty in development without one. */
    public Optional<String> secret() {
        return secret == null ? Optional.empty() : Optional.of(new String(secret, StandardCharsets.UTF_8));
    }

    /** Constant-time comparison, so the time of a refusal says nothing about how much of a guess was right. */
    public boolean matches(String presented) {
        if (secret == null) {
            return true;
        }
        return presented != null && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The secret from the service header or a bearer token, whichever the request carries. */
    public boolean admits(String secretHeader, String authorization) {
        if (secret == null) {
            return true;
        }
        if (secretHeader != null) {
            return matches(secretHeader);
        }
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
               && matches(authorization.substring(7).strip());
    }
}
