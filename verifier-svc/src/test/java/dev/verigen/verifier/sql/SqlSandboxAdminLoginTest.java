package dev.verigen.verifier.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The SQL sandbox set up by a login that is not a superuser (issue 16): after infra/sql-sandbox-provision.sql has done,
 * once and as a superuser, the little that needs one, a CREATEDB CREATEROLE login sets the sandbox up and candidates'
 * queries run as before; without it, the setup refuses rather than leave the sandbox role its dangerous built-ins.
 */
class SqlSandboxAdminLoginTest {

    private static final String ADMIN = "verigen_sql_admin_test";
    private static final String SANDBOX_ROLE = "verigen_sql_sandbox";

    private static SqlVerifierProperties properties(TestDatabase db) {
        return new SqlVerifierProperties(db.url(), ADMIN, "", SANDBOX_ROLE, "",
                Duration.ofSeconds(2), 10_000, DataSize.ofMegabytes(8), DataSize.ofMegabytes(4), DataSize.ofMegabytes(16),
                16, Duration.ofSeconds(2), Duration.ofSeconds(30), false, List.of("shop"), "shop");
    }

    /** Runs the provisioning script with psql, as the test server's superuser. */
    private static void provision(TestDatabase db) throws Exception {
        URI server = URI.create(db.url().substring("jdbc:".length()));
        Path script = Path.of("..", "infra", "sql-sandbox-provision.sql");
        assertThat(script).exists();
        List<String> command = new ArrayList<>(List.of("psql", "-h", server.getHost(), "-p",
                Integer.toString(server.getPort() < 0 ? 5432 : server.getPort()), "-U", db.user(), "-d", "postgres",
                "-q", "-v", "admin=" + ADMIN, "-v", "sandbox=" + SANDBOX_ROLE, "-v", "db=" + db.name(),
                "-f", script.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (!db.password().isEmpty()) {
            pb.environment().put("PGPASSWORD", db.password());
        }
        Process psql = pb.start();
        String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(psql.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(psql.exitValue()).as(out).isZero();
    }

    private static boolean superuserQuery(TestDatabase db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    @Test
    void aLoginThatIsNotASuperuserSetsTheSandboxUpOnceProvisioned() throws Exception {
        try (TestDatabase db = TestDatabase.create("sqladmin")) {
            provision(db);
            assertThat(superuserQuery(db, "select rolsuper from pg_roles where rolname = '" + ADMIN + "'")).isFalse();
            SqlSandbox sandbox = new SqlSandbox(properties(db));

            assertThat(sandbox.ensureReady()).isEmpty();

            Verdict v = new SqlExecutionVerifier(sandbox).verify(new CandidateRef(UUID.randomUUID(),
                    "SELECT count(*) FROM customers"), "SELECT 12", new VerifierOptions(Map.of()));
            assertThat(v.outcome()).as(v.evidence()).isEqualTo(Verdict.Outcome.PASS);
            assertThat(superuserQuery(db, "select has_function_privilege('" + SANDBOX_ROLE
                    + "', 'set_config(text,text,boolean)', 'EXECUTE')")).isFalse();
            assertThat(superuserQuery(db, "select rolsuper or rolcreatedb or rolcreaterole from pg_roles where rolname = '"
                    + SANDBOX_ROLE + "'")).isFalse();
        }
    }

    @Test
    void withoutTheSuperusersPartTheSetupRefusesInsteadOfLeavingTheBuiltInsOpen() throws Exception {
        try (TestDatabase provisioned = TestDatabase.create("sqladminrole");
             TestDatabase bare = TestDatabase.create("sqladminbare")) {
            provision(provisioned); // makes the login; the bare database is merely handed to it
            try (Connection c = DriverManager.getConnection(bare.url(), bare.user(), bare.password())) {
                c.createStatement().execute("alter database " + bare.name() + " owner to " + ADMIN);
            }
            SqlSandbox sandbox = new SqlSandbox(properties(bare));

            assertThat(sandbox.ensureReady()).hasValueSatisfying(why ->
                    assertThat(why).contains(SANDBOX_ROLE).contains("sql-sandbox-provision"));
            assertThat(Files.exists(Path.of("..", "infra", "sql-sandbox-provision.sql"))).isTrue();
        }
    }
}
