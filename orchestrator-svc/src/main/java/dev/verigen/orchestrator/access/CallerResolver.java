package dev.verigen.orchestrator.access;

import dev.verigen.support.access.IdentityHeaders;
import dev.verigen.support.access.Scope;
import java.util.EnumSet;
import java.util.Set;
import dev.verigen.support.problems.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Gives controllers the {@link Caller} the gateway vouched for, or the configured anonymous tenant. */
@Component
public class CallerResolver implements HandlerMethodArgumentResolver {

    private final AccessProperties properties;

    public CallerResolver(AccessProperties properties) {
        this.properties = properties;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                  WebDataBinderFactory binderFactory) {
        return resolve(request.getHeader(IdentityHeaders.TENANT), request.getHeader(IdentityHeaders.KEY_ID),
                request.getHeader(IdentityHeaders.GATEWAY_SECRET), request.getHeader(IdentityHeaders.SCOPES));
    }

    Caller resolve(String tenant, String keyId, String secret) {
        return resolve(tenant, keyId, secret, null);
    }

    Caller resolve(String tenant, String keyId, String secret, String scopes) {
        if (tenant == null || tenant.isBlank()) {
            if (properties.hasAnonymousTenant()) {
                return new Caller(properties.anonymousTenant(), null);
            }
            throw ApiProblem.unauthorized("an API key is required: send 'Authorization: Bearer vg_...' to the gateway");
        }
        if (properties.hasGatewaySecret() && (secret == null || !MessageDigest.isEqual(
                properties.gatewaySecret().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8)))) {
            throw ApiProblem.unauthorized("identity not vouched for by a gateway");
        }
        return new Caller(tenant.strip(), keyId, scopes(scopes));
    }

    /** The gateway's comma-separated scopes; unknown names are ignored (a newer gateway may know more). */
    private static Set<Scope> scopes(String header) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (header != null) {
            for (String name : header.split(",")) {
                Scope.fromWire(name.strip()).ifPresent(scopes::add);
            }
        }
        return scopes;
    }
}
