package dev.verigen.gateway.openapi;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the API description at {@code /openapi.yaml} and {@code /v1/openapi.yaml} (public). The document is
 * {@code docs/openapi.yaml}, copied onto the classpath by the build. Router functions are mapped before the
 * gateway's routes, so the {@code /v1/**} catch-all never sees {@code /v1/openapi.yaml}.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiRoutes {

    static final String LOCATION = "openapi/openapi.yaml";
    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @Bean
    RouterFunction<ServerResponse> openApiDocument() {
        byte[] document = load();
        return RouterFunctions.route(GET("/openapi.yaml").or(GET("/v1/openapi.yaml")),
                request -> ServerResponse.ok().contentType(YAML).bodyValue(document));
    }

    private static byte[] load() {
        try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("classpath:" + LOCATION + " is missing; the build copies it from "
                                           + "docs/openapi.yaml", e);
        }
    }
}
