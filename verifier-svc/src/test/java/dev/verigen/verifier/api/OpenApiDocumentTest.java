package dev.verigen.verifier.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.testing.openapi.ControllerMappings;
import dev.verigen.contracts.testing.openapi.ControllerMappings.Mapping;
import dev.verigen.contracts.testing.openapi.OpenApiDocument;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

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
        List<Mapping> code = ControllerMappings.scan("dev.verigen.verifier");
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
}
