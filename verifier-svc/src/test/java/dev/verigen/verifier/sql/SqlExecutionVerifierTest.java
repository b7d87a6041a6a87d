package dev.verigen.verifier.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

/** Against the real PostgreSQL, in a throw-away database. */
class SqlExecutionVerifierTest {

    static TestDatabase db;
    static SqlSandbox sandbox;
    static SqlExecutionVerifier verifier;

    static SqlVerifierProperties properties(String url, int maxRows) {
        return new SqlVerifierProperties(url, db.user(), db.password(), "verigen_sql_sandbox", "",
                Duration.ofSeconds(2), maxRows, DataSize.ofMegabytes(8), DataSize.ofMegabytes(4), DataSize.ofMegabytes(16),
                16, Duration.ofSeconds(2), Duration.ofSeconds(30), false, List.of("shop"), "shop");
    }

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create("sqlverifier");
        sandbox = new SqlSandbox(properties(db.url(), 10_000));
        verifier = new SqlExecutionVerifier(sandbox);
        assertThat(sandbox.ensureReady()).isEmpty();
    }

    @AfterAll
    static void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    @AfterEach
    void tablesAreIntact() throws SQLException {
        assertThat(adminQuery("SELECT (SELECT count(*) FROM shop.customers) || '/' || (SELECT count(*) FROM shop.products)"
                + " || '/' || (SELECT count(*) FROM shop.orders) || '/' || (SELECT sum(price) FROM shop.products)"
                + " || '/' || (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + "   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND c.relkind = 'r')"))
                .containsExactly("12/10/22/2199.83/3");
    }

    private static List<String> adminQuery(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static Verdict check(String candidate, String reference, Map<String, String> options) {
        return verifier.verify(new CandidateRef(UUID.randomUUID(), candidate), reference, new VerifierOptions(options));
    }

    private static Verdict check(String candidate, String reference) {
        return check(candidate, reference, Map.of("schema", "shop"));
    }

    // ------------------------------------------------------------------ equal results

    @Test
    void sameResultWithDifferentFormattingAndAliasesPasses() {
        String gold = "SELECT c.name, count(*) AS n FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name";
        Verdict v = check("Here you go:\n```sql\nselect   cu.name as customer_name,\n       COUNT(o.id)  cnt\n"
                + "  from shop.orders o, shop.customers cu\n where cu.id = o.customer_id\n group by 1;\n```", gold);
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.PASS);
        assertThat(v.evidence()).contains("same 11 rows × 2 columns").contains("multisets");
        assertThat(v.extracted()).startsWith("select cu.name as customer_name");
    }

    @Test
    void numbersCompareByValueAcrossTypes() {
        Verdict v = check("SELECT category, sum(price)::float8 / count(*) FROM products GROUP BY category",
                "SELECT category, avg(price) FROM products GROUP BY category");
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.PASS);
        Verdict ints = check("SELECT count(*)::numeric(10,2) FROM orders", "SELECT count(*) FROM orders");
        assertThat(ints.outcome()).as(ints.evidence()).isEqualTo(Outcome.PASS);
        Verdict text = check("SELECT count(*)::text FROM orders", "SELECT count(*) FROM orders");
        assertThat(text.outcome()).as("a number is not its text").isEqualTo(Outcome.FAIL);
    }

    @Test
    void nullsEqualNulls() {
        Verdict v = check("SELECT name, city FROM customers WHERE city IS NULL OR country = 'USA'",
                "SELECT name, city FROM customers WHERE id IN (6, 7, 10)");
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.PASS);
    }

    @Test
    void theWholeTextIsTheQueryWithoutAFence() {
        assertThat(check("SELECT 42;", "SELECT 42").outcome()).isEqualTo(Outcome.PASS);
    }

    // ------------------------------------------------------------------ different results

    @Test
    void wrongRowsFailWithCountsAndTheFirstDifference() {
        Verdict v = check("SELECT name FROM customers WHERE country = 'UK'", "SELECT name FROM customers WHERE country = 'France'");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("candidate 2 rows, reference 2").contains("2 reference rows missing")
                .contains("'Alice Martin'").contains("2 extra candidate rows, first ('Bob Smith')");

        Verdict more = check("SELECT name FROM customers", "SELECT name FROM customers WHERE city IS NOT NULL");
        assertThat(more.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(more.evidence()).contains("candidate 12 rows, reference 10").contains("2 extra candidate rows");
    }

    @Test
    void duplicatesCount() {
        Verdict v = check("SELECT DISTINCT price FROM products", "SELECT price FROM products");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("candidate 9 rows, reference 10").contains("1 reference row missing").contains("(45)");
    }

    @Test
    void columnCountMustMatch() {
        Verdict v = check("SELECT id, name FROM customers", "SELECT name FROM customers");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("candidate returns 2 columns [id, name], reference 1 [name]");
    }

    @Test
    void candidateErrorsFailWithTheServersMessage() {
        Verdict syntax = check("SELECT name, FROM customers", "SELECT name FROM customers");
        assertThat(syntax.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(syntax.evidence()).contains("candidate query failed").contains("[42601]").contains("syntax error at or near \"FROM\"");

        Verdict notSql = check("SELEC name FROM customers", "SELECT name FROM customers");
        assertThat(notSql.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(notSql.evidence()).contains("only a query").contains("'SELEC'");

        Verdict column = check("SELECT nme FROM customers", "SELECT name FROM customers");
        assertThat(column.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(column.evidence()).contains("column \"nme\" does not exist");
    }

    @Test
    void aBrokenReferenceIsAnError() {
        Verdict v = check("SELECT 1", "SELECT * FROM no_such_table");
        assertThat(v.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(v.evidence()).contains("reference query failed").contains("no_such_table");
        assertThat(check("SELECT 1", "DELETE FROM orders").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check("SELECT 1", " ").outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void unknownSchemaIsAnInvalidOption() {
        assertThatThrownBy(() -> check("SELECT 1", "SELECT 1", Map.of("schema", "pg_catalog")))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("[shop]");
        assertThatThrownBy(() -> check("SELECT 1", "SELECT 1", Map.of("ordered", "maybe")))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("ordered");
        assertThat(check("SELECT 1", "SELECT 1", Map.of()).outcome()).as("default schema").isEqualTo(Outcome.PASS);
    }

    // ------------------------------------------------------------------ order

    @Test
    void orderMattersWhenTheReferenceOrders() {
        String gold = "SELECT name, price FROM products ORDER BY price DESC, id";
        Verdict reversed = check("SELECT name, price FROM products ORDER BY price ASC, id", gold);
        assertThat(reversed.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(reversed.evidence()).contains("(ordered)").contains("first difference at row 1")
                .contains("('Novel', 12.99)").contains("('Laptop', 999.99)");
        assertThat(check("SELECT p.name, p.price FROM products p ORDER BY 2 DESC, p.id", gold).outcome()).isEqualTo(Outcome.PASS);
        Verdict unordered = check("SELECT name, price FROM products ORDER BY price ASC, id", gold, Map.of("ordered", "false"));
        assertThat(unordered.outcome()).as(unordered.evidence()).isEqualTo(Outcome.PASS);
    }

    @Test
    void orderDoesNotMatterWhenTheReferenceDoesNotOrder() {
        String gold = "SELECT name FROM products WHERE stock = 0";
        Verdict v = check("SELECT name FROM products WHERE stock = 0 ORDER BY name DESC", gold);
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.PASS);
        Verdict forced = check("SELECT name FROM products WHERE stock = 0 ORDER BY name DESC",
                "SELECT name FROM products WHERE stock = 0 ORDER BY name", Map.of("ordered", "true"));
        assertThat(forced.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void anOrderedPrefixIsNotEnough() {
        Verdict v = check("SELECT id FROM orders ORDER BY id LIMIT 3", "SELECT id FROM orders ORDER BY id LIMIT 4");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("the first 3 agree, missing reference row 4: (4)");
    }

    // ------------------------------------------------------------------ adversarial candidates

    @ParameterizedTest
    @ValueSource(strings = {
            "DROP TABLE customers",
            "DROP TABLE shop.customers CASCADE",
            "DELETE FROM orders",
            "UPDATE products SET price = 0",
            "INSERT INTO customers VALUES (99, 'Mallory', 'm@example.com', NULL, 'X', '2024-01-01')",
            "CREATE TABLE loot (a int)",
            "COPY customers TO PROGRAM 'touch /tmp/verigen-pwned'",
            "COPY (SELECT * FROM customers) TO STDOUT",
            "SELECT pg_sleep(100)",
            "SELECT pg_sleep_for('100 seconds')",
            "SET ROLE postgres",
            "RESET ROLE",
            "SET SESSION AUTHORIZATION postgres",
            "SELECT set_config('role', 'postgres', false)",
            "SELECT set_config('statement_timeout', '0', false)",
            "SELECT * FROM pg_authid",
            "SELECT rolname, rolpassword FROM pg_authid",
            "SELECT pg_read_file('/etc/passwd')",
            "SELECT lo_import('/etc/passwd')",
            "SELECT current_setting('data_directory')",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
            "SELECT pg_terminate_backend(pg_backend_pid())",
            "SELECT pg_advisory_lock(42)",
            "SELECT pg_notify('x', 'y')",
            "DO $$ BEGIN EXECUTE 'DROP TABLE customers'; END $$",
            "WITH gone AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM gone",
            "SELECT * INTO TEMP TABLE stash FROM customers",
            "SELECT * INTO stash FROM customers",
            "SELECT * FROM customers FOR UPDATE",
            "SELECT query_to_xml('DELETE FROM shop.orders RETURNING *', true, false, '')",
            "SELECT 1; DROP TABLE customers",
            "SELECT name FROM customers WHERE name = ''; DROP TABLE customers; --'",
            "SELECT name FROM customers WHERE name = '' OR '1'='1'",
            "SELECT 1 /* ; DROP TABLE customers */",
            "'; DROP TABLE customers; --",
            "SELECT * FROM pg_catalog.pg_stat_activity",
            "VACUUM FULL customers",
            "LOCK TABLE customers IN ACCESS EXCLUSIVE MODE",
            "TRUNCATE orders",
            "ALTER TABLE customers DROP COLUMN name",
            "GRANT ALL ON customers TO PUBLIC",
            "CREATE TEMP TABLE t AS SELECT 1",
            "EXPLAIN ANALYZE DELETE FROM orders",
            "PREPARE p AS DELETE FROM orders",
            "SELECT * FROM dblink('dbname=postgres', 'SELECT 1') AS t(a int)",
    })
    void adversarialCandidatesFailQuicklyAndHarmNothing(String sql) {
        Verdict v = assertTimeout(Duration.ofSeconds(5), () -> check(sql, "SELECT count(*) FROM customers"));
        assertThat(v.outcome()).as(v.evidence()).isIn(Outcome.FAIL, Outcome.ERROR);
        assertThat(v.evidence()).isNotBlank();
    }

    @Test
    void endlessQueriesAreCutAtTheStatementTimeout() {
        long started = System.nanoTime();
        Verdict v = assertTimeout(Duration.ofSeconds(6), () -> check(
                "SELECT count(*) FROM orders a, orders b, orders c, orders d, orders e, orders f, orders g, orders h",
                "SELECT count(*) FROM customers"));
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("timed out").contains("2000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aRecursionWithoutEndStopsAtTheTimeoutOrTheTempFileLimit() {
        Verdict v = assertTimeout(Duration.ofSeconds(6), () -> check(
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
                "SELECT count(*) FROM customers"));
        assertThat(v.outcome()).as(v.evidence()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).containsAnyOf("timed out", "temp_file_limit");
    }

    @Test
    void changingTheTimeoutFromInsideTheQueryIsRefused() {
        Verdict v = assertTimeout(Duration.ofSeconds(6), () -> check(
                "SELECT set_config('statement_timeout', '0', true), count(*) FROM orders a, orders b, orders c, orders d,"
                        + " orders e, orders f, orders g, orders h", "SELECT 1"));
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("permission denied for function set_config");
    }

    @Test
    void rowAndSizeLimitsStopHugeResults() {
        Verdict endless = assertTimeout(Duration.ofSeconds(5), () -> check(
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r", "SELECT 1"));
        assertThat(endless.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(endless.evidence()).isEqualTo("candidate query returned more than 10000 rows");

        Verdict cross = assertTimeout(Duration.ofSeconds(5), () -> check(
                "SELECT * FROM orders a CROSS JOIN orders b CROSS JOIN orders c", "SELECT 1"));
        assertThat(cross.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(cross.evidence()).contains("more than 10000 rows");

        Verdict wide = assertTimeout(Duration.ofSeconds(5), () -> check("SELECT repeat('x', 50000000)", "SELECT 1"));
        assertThat(wide.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(wide.evidence()).contains("larger than 8388608 bytes");
    }

    /** The lexer's refusals are a first layer only: sent straight to the sandbox, the server refuses them too. */
    @ParameterizedTest
    @ValueSource(strings = {
            "DROP TABLE customers CASCADE", "DELETE FROM orders", "UPDATE products SET price = 0", "TRUNCATE orders",
            "INSERT INTO customers VALUES (99, 'M', 'm@x', NULL, 'X', '2024-01-01')", "CREATE TABLE loot (a int)",
            "CREATE TEMP TABLE loot (a int)", "COPY customers TO PROGRAM 'touch /tmp/verigen-pwned'",
            "COPY (SELECT 1) TO '/tmp/verigen-pwned'", "ALTER TABLE customers DROP COLUMN name", "GRANT ALL ON customers TO PUBLIC",
            "SET ROLE postgres", "SET SESSION AUTHORIZATION postgres", "DO $$ BEGIN EXECUTE 'DROP TABLE shop.customers'; END $$",
            "LOCK TABLE customers IN ACCESS EXCLUSIVE MODE", "VACUUM FULL customers", "SELECT 1; DROP TABLE customers",
            "SELECT 1; DELETE FROM orders", "RESET ROLE", "EXPLAIN ANALYZE DELETE FROM orders",
    })
    void theServerAloneAlsoRefusesWhatTheLexerRefuses(String sql) {
        QueryResult r = assertTimeout(Duration.ofSeconds(5), () -> sandbox.run("shop", sql));
        assertThat(r).isInstanceOf(QueryResult.Failed.class);
        assertThat(((QueryResult.Failed) r).kind()).isIn(QueryResult.Failure.SQL_ERROR, QueryResult.Failure.NOT_A_QUERY);
    }

    @Test
    void multipleStatementsAreRefusedBeforeTheyRun() {
        Verdict v = check("SELECT count(*) FROM customers; DROP TABLE customers;", "SELECT count(*) FROM customers");
        assertThat(v.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(v.evidence()).contains("only one SQL statement is allowed");
    }

    @Test
    void theServerRefusesWritesAndPrivilegesItself() {
        // what the lexer lets through must still be stopped by the server: read-only transaction and the role's grants
        Verdict cte = check("WITH gone AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM gone", "SELECT 22");
        assertThat(cte.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(cte.evidence()).contains("read-only transaction");
        Verdict authid = check("SELECT * FROM pg_authid", "SELECT 1");
        assertThat(authid.evidence()).contains("permission denied");
        Verdict sleep = check("SELECT pg_sleep(100)", "SELECT 1");
        assertThat(sleep.evidence()).contains("permission denied for function pg_sleep");
    }

    @Test
    void theSandboxRoleCanOnlyRead() throws SQLException {
        assertThat(adminQuery("SELECT rolsuper::text || rolcreatedb::text || rolcreaterole::text || rolbypassrls::text"
                + " FROM pg_roles WHERE rolname = 'verigen_sql_sandbox'")).containsExactly("falsefalsefalsefalse");
        assertThat(adminQuery("SELECT count(*) FROM pg_auth_members WHERE member = 'verigen_sql_sandbox'::regrole")).containsExactly("0");
        Properties login = new Properties();
        login.setProperty("user", "verigen_sql_sandbox");
        try (Connection c = DriverManager.getConnection(db.url(), login); Statement s = c.createStatement()) {
            for (String sql : List.of("CREATE TEMP TABLE t (a int)", "CREATE TABLE public.t (a int)", "CREATE TABLE shop.t (a int)",
                    "SET ROLE postgres", "SET SESSION AUTHORIZATION postgres", "SELECT pg_sleep(0)", "DELETE FROM shop.orders")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM shop.orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(22);
            }
        }
    }

    @Test
    void setUpAgainIsHarmless() {
        SqlSandbox again = new SqlSandbox(properties(db.url(), 10_000));
        assertThat(again.ensureReady()).isEmpty();
        assertThat(new SqlExecutionVerifier(again).verify(new CandidateRef(UUID.randomUUID(), "SELECT count(*) FROM orders"),
                "SELECT 22", VerifierOptions.NONE).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void anUnreachableSandboxAnswersErrorQuickly() {
        SqlExecutionVerifier down = new SqlExecutionVerifier(new SqlSandbox(properties("jdbc:postgresql://127.0.0.1:1/nowhere", 10)));
        Verdict v = assertTimeout(Duration.ofSeconds(5), () -> down.verify(new CandidateRef(UUID.randomUUID(), "SELECT 1"),
                "SELECT 1", VerifierOptions.NONE));
        assertThat(v.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(v.evidence()).startsWith("SQL sandbox unavailable");
        // and it does not hammer the server: within the retry interval the answer comes without a new attempt
        Verdict again = down.verify(new CandidateRef(UUID.randomUUID(), "SELECT 1"), "SELECT 1", VerifierOptions.NONE);
        assertThat(again.evidence()).isEqualTo(v.evidence());
    }
}
