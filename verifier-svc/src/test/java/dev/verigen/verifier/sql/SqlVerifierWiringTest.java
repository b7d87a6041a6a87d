package dev.verigen.verifier.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.MessageFixtures;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerificationJob;
import dev.verigen.contracts.VerificationResult;
import dev.verigen.contracts.VerifierSpec;
import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.verifier.jobs.VerificationService;
import dev.verigen.verifier.verifiers.VerifierRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service as booted: the verifier is registered, configured from properties, and answers through VerificationService. */
@SpringBootTest(properties = {
        "spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}",
        "verigen.verifier.sql.setup-at-startup=true",
        "verigen.verifier.sql.statement-timeout=1500ms",
        "verigen.verifier.sql.max-rows=50"})
@EmbeddedKafka(partitions = 1, topics = {Topics.VERIFICATION_JOBS, Topics.VERIFICATION_RESULTS})
class SqlVerifierWiringTest {

    static final TestDatabase db = TestDatabase.create("sqlwiring");

    @DynamicPropertySource
    static void sandbox(DynamicPropertyRegistry registry) {
        registry.add("verigen.verifier.sql.url", db::url);
        registry.add("verigen.verifier.sql.admin-user", db::user);
        registry.add("verigen.verifier.sql.admin-password", db::password);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Autowired
    VerifierRegistry registry;
    @Autowired
    VerificationService service;
    @Autowired
    SqlVerifierProperties properties;

    @Test
    void sqlExecutionJobsGetVerdicts() {
        assertThat(registry.types()).contains("sql_execution", "exact", "numeric");
        assertThat(properties.statementTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(properties.maxRows()).isEqualTo(50);

        var job = new VerificationJob(MessageFixtures.meta(), new VerifierSpec("sql_execution", Map.of("schema", "shop")),
                "Which customers live in France?", "SELECT name FROM customers WHERE country = 'France'", List.of(
                new CandidateRef(UUID.randomUUID(), "```sql\nSELECT c.name AS who FROM shop.customers AS c WHERE c.country = 'France';\n```"),
                new CandidateRef(UUID.randomUUID(), "SELECT name FROM customers"),
                new CandidateRef(UUID.randomUUID(), "SELECT name FROM customers; DROP TABLE customers"),
                new CandidateRef(UUID.randomUUID(), "SELECT * FROM orders a, orders b")));
        VerificationResult result = service.verify(job);

        assertThat(result.ok()).as(String.valueOf(result.error())).isTrue();
        assertThat(result.verifier()).isEqualTo("sql_execution");
        assertThat(result.verdicts()).extracting(Verdict::outcome)
                .containsExactly(Verdict.Outcome.PASS, Verdict.Outcome.FAIL, Verdict.Outcome.FAIL, Verdict.Outcome.FAIL);
        assertThat(result.verdicts().get(1).evidence()).contains("candidate 12 rows, reference 2");
        assertThat(result.verdicts().get(2).evidence()).contains("only one SQL statement");
        assertThat(result.verdicts().get(3).evidence()).contains("more than 50 rows");

        VerificationResult bad = service.verify(new VerificationJob(MessageFixtures.meta(),
                new VerifierSpec("sql_execution", Map.of("schema", "nope")), "?", "SELECT 1",
                List.of(new CandidateRef(UUID.randomUUID(), "SELECT 1"))));
        assertThat(bad.error().code()).isEqualTo(VerificationService.INVALID_OPTIONS);
    }
}
