package dev.verigen.orchestrator.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.orchestrator.allocation.CurveBook;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Learned curves carry their experiment's tenant (issue 16): on real PostgreSQL, no Spring context. */
class ScalingCurveTenancyIT {

    private static final TestDatabase DB = TestDatabase.create("curvetenancy");
    private static HikariDataSource dataSource;
    private static JdbcClient jdbc;
    private static ScalingCurveRepository curves;

    @BeforeAll
    static void migrate() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(DB.url());
        dataSource.setUsername(DB.user());
        dataSource.setPassword(DB.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        curves = new ScalingCurveRepository(jdbc);
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        DB.close();
    }

    private static UUID experiment(String tenant) {
        jdbc.sql("insert into tenants (id, name) values (:t, :t) on conflict do nothing").param("t", tenant).update();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into experiments (id, tenant_id, name, status, spec, dataset, items)
                values (:id, :t, 'e', 'RUNNING', '{}'::jsonb, 'inline', '[]'::jsonb)""")
                .param("id", id).param("t", tenant).update();
        return id;
    }

    private static CurveBook book(int maxSamples) {
        return CurveBook.prior("sim-math", "inline", "vote", 2, maxSamples, 3, 100);
    }

    @Test
    void oneTenantsExperimentNeitherReadsNorOverwritesAnothersCurves() {
        UUID acme = experiment("acme-curves");
        UUID rival = experiment("rival-curves");
        UUID acmeLater = experiment("acme-curves");
        CurveBook acmeBook = book(16);

        curves.save(acmeBook, 40, acme);

        assertThat(curves.find(acmeLater, "sim-math", "inline")).hasValue(acmeBook);
        assertThat(curves.find(rival, "sim-math", "inline")).as("another tenant starts from the prior").isEmpty();

        curves.save(book(64), 7, rival);

        assertThat(curves.find(acmeLater, "sim-math", "inline")).as("acme's book is untouched").hasValue(acmeBook);
        assertThat(curves.find(rival, "sim-math", "inline")).hasValue(book(64));
        assertThat(jdbc.sql("select tenant_id || ':' || observations from scaling_curves "
                + "where tenant_id in ('acme-curves', 'rival-curves') order by tenant_id").query(String.class).list()).containsExactly("acme-curves:40", "rival-curves:7");
    }

    @Test
    void deletingTheExperimentThatTaughtACurveKeepsTheCurve() {
        UUID first = experiment("keeper");
        UUID later = experiment("keeper");
        curves.save(book(8), 3, first);

        jdbc.sql("delete from experiments where id = :id").param("id", first).update();

        assertThat(curves.find(later, "sim-math", "inline")).hasValue(book(8));
    }
}
