package dev.verigen.contracts.testing.openapi;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The request mappings of a service's {@code @RestController}s, read from their annotations without starting the
 * service, so each service's test can hold them against docs/openapi.yaml. (Spring is a test dependency of
 * contracts for this class alone; the services that use it have Spring anyway.)
 */
public final class ControllerMappings {

    private ControllerMappings() {
    }

    /** A controller method's method, path and media types, as Spring maps it. */
    public record Mapping(String method, String path, Set<String> consumes, Set<String> produces) {
        public String key() {
            return method + " " + OpenApiDocument.normalize(path);
        }
    }

    /** Every request mapping of every {@code @RestController} under {@code basePackage}. */
    public static List<Mapping> scan(String basePackage) throws ClassNotFoundException {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(RestController.class));
        List<Mapping> out = new ArrayList<>();
        for (BeanDefinition bean : scanner.findCandidateComponents(basePackage)) {
            Class<?> type = Class.forName(bean.getBeanClassName());
            RequestMapping outer = AnnotatedElementUtils.findMergedAnnotation(type, RequestMapping.class);
            String[] prefixes = outer == null || outer.path().length == 0 ? new String[] {""} : outer.path();
            for (Method method : type.getDeclaredMethods()) {
                RequestMapping inner = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
                if (inner == null) {
                    continue;
                }
                // as Spring combines them: a method's media types replace the class's
                Set<String> consumes = Set.of(inner.consumes().length > 0 || outer == null ? inner.consumes()
                        : outer.consumes());
                Set<String> produces = Set.of(inner.produces().length > 0 || outer == null ? inner.produces()
                        : outer.produces());
                for (String prefix : prefixes) {
                    for (String path : inner.path().length == 0 ? new String[] {""} : inner.path()) {
                        String full = prefix + (path.isEmpty() || path.startsWith("/") ? path : "/" + path);
                        for (var verb : inner.method()) {
                            out.add(new Mapping(verb.name(), full, consumes, produces));
                        }
                    }
                }
            }
        }
        return out;
    }
}
