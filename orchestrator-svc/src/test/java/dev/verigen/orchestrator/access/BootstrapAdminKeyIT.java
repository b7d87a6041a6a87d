package dev.verigen.orchestrator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.support.access.ApiKeyTokens;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The bootstrap key against the real schema, without an application around it: several "instances" at once,
 * restarts, a revoked key, and the values that must stop a start-up. (ApiKeysIT shows it runs at start-up.)
 */
class BootstrapAdminKeyIT {

    private static final TestDatabase DB = TestDatabase.create("bootstrapkey");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static JdbcClient jdbc;
    private static ApiKeyRepository keys;

    @BeforeAll
    static void migrate() throws Exception {
        var dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), DB.url(), DB.user(), DB.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        keys = new ApiKeyRepository(jdbc);
    }

    @AfterAll
    static void drop() {
        DB.close();
    }

    private static BootstrapAdminKey runner(String token) {
        return new BootstrapAdminKey(new AccessProperties(null, "", token, null), keys);
    }

    @Test
    void instancesStartingAtOnceAndRestartsLeaveOneKey() throws Exception {
        ApiKeyTokens.NewKey key = ApiKeyTokens.generate(RANDOM);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> instances = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                instances.add(pool.submit(() -> {
                    start.await();
                    runner(key.token()).run(null);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> instance : instances) {
                instance.get(); // none failed
            }
        }
        ApiKey stored = keys.find("default", key.id()).orElseThrow();
        assertThat(stored.name()).isEqualTo("bootstrap admin");
        assertThat(stored.scopes()).containsExactly("runs", "experiments", "admin", "operator");
        assertThat(keys.owner(key.id()).orElseThrow().secretHash()).isEqualTo(key.secretHash());

        runner(key.token()).run(null);
        assertThat(keys.find("default", key.id())).contains(stored);
        assertThat(jdbc.sql("select count(*) from api_keys where id = :id").param("id", key.id())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aRevokedBootstrapKeyStaysRevoked() {
        ApiKeyTokens.NewKey key = ApiKeyTokens.generate(RANDOM);
        runner(key.token()).run(null);
        Instant revokedAt = keys.revoke("default", key.id()).orElseThrow();
        runner(key.token()).run(null);
        assertThat(keys.find("default", key.id()).orElseThrow().revokedAt()).isEqualTo(revokedAt);
    }

    @Test
    void noBootstrapKeyConfiguredDoesNothing() {
        long before = jdbc.sql("select count(*) from api_keys").query(Long.class).single();
        runner("").run(null);
        runner(null).run(null);
        assertThat(jdbc.sql("select count(*) from api_keys").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void aValueThatIsNoKeyStopsTheStartUpWithoutShowingIt() {
        String almost = "vg_abcdefghijkl_" + "s3cr3t".repeat(7); // 42 characters of secret, one short
        assertThatThrownBy(() -> runner(almost).run(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VERIGEN_BOOTSTRAP_KEY").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> runner("let-me-in").run(null)).hasMessageNotContaining("let-me-in");
        assertThat(keys.owner("abcdefghijkl")).isEmpty();
    }

    @Test
    void anIdStoredWithAnotherSecretOrTenantStopsTheStartUp() {
        ApiKeyTokens.NewKey key = ApiKeyTokens.generate(RANDOM);
        runner(key.token()).run(null);
        String sameIdOtherSecret = ApiKeyTokens.PREFIX + key.id() + "_"
                + ApiKeyTokens.generate(RANDOM).token().substring(16);
        assertThatThrownBy(() -> runner(sameIdOtherSecret).run(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(key.id()).hasMessageNotContaining(sameIdOtherSecret.substring(16));
        assertThat(keys.owner(key.id()).orElseThrow().secretHash()).isEqualTo(key.secretHash());

        jdbc.sql("insert into tenants (id, name) values ('other', 'Other')").update();
        ApiKeyTokens.NewKey foreign = ApiKeyTokens.generate(RANDOM);
        keys.insert(new ApiKeyRepository.NewRow(foreign.id(), "other", "theirs", foreign.secretHash(),
                List.of(dev.verigen.support.access.Scope.RUNS), 10, 10, null));
        assertThatThrownBy(() -> runner(foreign.token()).run(null)).isInstanceOf(IllegalStateException.class);
        assertThat(keys.find("other", foreign.id()).orElseThrow().scopes()).containsExactly("runs");
    }
}
