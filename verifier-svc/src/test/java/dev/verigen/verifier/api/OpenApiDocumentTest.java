package dev.verigen.verifier.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.testing.openapi.OpenApiDocument;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * docs/openapi.yaml against verifier-svc's controllers: every mapping documented (method, path, media types) under
 * a path routed to verifier-svc, and every documented verifier-svc operation implemented. The document as a whole
 * (references, problems, scopes) is checked in orchestrator-svc's test of the same name.
 */
class OpenApiDocumentTest {

    @Test
    void everyControllerMappingIsDocumentedAndEveryDocumentedOperationExists() throws Exception {
        OpenApiDocument doc = OpenApiDocument.load(OpenApiDocument.DEFAULT);
        assertThat(doc.unresolvedRefs()).isEmpty();
        List<Mapping> code = mappings("dev.verigen.verifier");
        assertThat(code).isNotEmpty();
        var documented = doc.operations("verifier");
        Set<String> documentedKeys = new TreeSet<>();
        documented.forEach(op -> documentedKeys.add(op.key()));
        Set<String> codeKeys = new TreeSet<>();
        code.forEach(m -> codeKeys.add(m.key()));
        assertThat(codeKeys).as("documented verifier-svc operations").isEqualTo(documentedKeys);
        for (Mapping m : code) {
            var op = documented.stream().filter(o -> o.key().equals(m.key())).findFirst().orElseThrow();
            assertThat(doc.requestTypes(op)).as(m.key()).containsAll(m.consumes());
            assertThat(doc.successTypes(op)).as(m.key()).containsAll(m.produces());
            assertThat(op.scope()).as(m.key()).isEqualTo("runs");
        }
    }

    record Mapping(String method, String path, Set<String> consumes, Set<String> produces) {
        String key() {
            return method + " " + OpenApiDocument.normalize(path);
        }
    }

    /** Every request mapping of every {@code @RestController} under {@code basePackage}, read from annotations. */
    static List<Mapping> mappings(String basePackage) throws ClassNotFoundException {
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
