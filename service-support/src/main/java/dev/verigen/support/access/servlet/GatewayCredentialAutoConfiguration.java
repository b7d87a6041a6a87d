package dev.verigen.support.access.servlet;

import dev.verigen.support.access.GatewayCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Every servlet service of the platform answers only the gateway's credential (the gateway itself is reactive). The
 * credential is a bean in any application (a service sends it when it calls another); the filter only where there
 * is a servlet web server.
 */
@AutoConfiguration
@Conditional(GatewayCredentialAutoConfiguration.NotReactive.class)
@EnableConfigurationProperties(ServiceAccessProperties.class)
public class GatewayCredentialAutoConfiguration {

    /** Not the gateway (the one reactive service): it holds the credential itself and sends it. */
    static class NotReactive extends NoneNestedConditions {

        NotReactive() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
        static class Reactive {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GatewayCredentialAutoConfiguration.class);

    @Bean
    GatewayCredential gatewayCredential(ServiceAccessProperties properties,
                                        @Value("${spring.application.name:service}") String service) {
        GatewayCredential credential = GatewayCredential.of(properties.gatewaySecret(), properties.development(), service);
        if (!credential.required()) {
            log.warn("{} is unset and {}=true: every request is let in, whoever sends it (development only)",
                    GatewayCredential.SECRET_VARIABLE, GatewayCredential.DEVELOPMENT_VARIABLE);
        }
        return credential;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class Servlet {

        @Bean
        FilterRegistrationBean<GatewayCredentialFilter> gatewayCredentialFilter(GatewayCredential credential,
                                                                               ServiceAccessProperties properties) {
            var filter = new GatewayCredentialFilter(credential, properties.openPaths());
            var registration = new FilterRegistrationBean<>(filter);
            // before everything else, the observation and problem filters included: nothing runs for a stranger
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            registration.addUrlPatterns("/*");
            return registration;
        }
    }
}
