package dev.verigen.support.problems.servlet;

import dev.verigen.support.problems.ApiProblem;
import java.util.List;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one error shape also for what Tomcat itself refuses: a {@link ProblemReportValve} replaces the HTML error
 * report, and a query parameter Tomcat cannot decode ({@code ?name=%FF}) is a 400, not an unexpected error.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.apache.catalina.startup.Tomcat",
        "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory"})
@Import(TomcatProblemsAutoConfiguration.UndecodableParameters.class)
public class TomcatProblemsAutoConfiguration {

    @Bean
    ProblemReportInstaller problemReportInstaller() {
        return new ProblemReportInstaller();
    }

    /**
     * Runs after Boot's own customizer, which adds an HTML {@link ErrorReportValve} to the host: that one is taken
     * out, and the host is told that ours is its error report valve, so that it adds no default one at start.
     */
    static final class ProblemReportInstaller implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>,
            Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    for (Valve valve : List.of(host.getPipeline().getValves())) {
                        if (valve instanceof ErrorReportValve) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    host.setErrorReportValveClass(ProblemReportValve.class.getName());
                    host.getPipeline().addValve(new ProblemReportValve());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /** Before {@link ServletProblemHandler}, whose catch-all would call it unexpected. */
    @RestControllerAdvice
    @Order(Ordered.HIGHEST_PRECEDENCE)
    static class UndecodableParameters {

        @ExceptionHandler(InvalidParameterException.class)
        ResponseEntity<Object> undecodable(InvalidParameterException e) {
            return ServletProblemHandler.respond(ApiProblem.invalid("query",
                    "a query parameter could not be decoded (not UTF-8, or an invalid %-escape)"));
        }
    }
}
