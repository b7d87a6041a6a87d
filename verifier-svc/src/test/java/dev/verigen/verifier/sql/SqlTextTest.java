package dev.verigen.verifier.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlTextTest {

    @Test
    void takesTheLastSqlFenceElseTheWholeText() {
        assertThat(SqlText.extract("First try:\n```sql\nSELECT 1\n```\nBetter:\n```SQL\nSELECT 2;\n```\nDone."))
                .isEqualTo("SELECT 2;");
        assertThat(SqlText.extract("  SELECT name FROM customers  ")).isEqualTo("SELECT name FROM customers");
        assertThat(SqlText.extract("```sql\nSELECT 3")).as("an unclosed last fence runs to the end").isEqualTo("SELECT 3");
        assertThat(SqlText.extract(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1", "SELECT 1;", "select 1 ;  ;\n -- done", "  (SELECT 1) UNION (SELECT 2)", "WITH a AS (SELECT 1) SELECT * FROM a",
            "VALUES (1), (2)", "TABLE customers", "SELECT ';' AS semi", "SELECT $$ ; DROP TABLE x; $$",
            "SELECT $tag$ ; $$ ; $tag$", "SELECT E'it\\'s; here'", "SELECT 'it''s; here'", "SELECT 1 /* ; /* nested ; */ ; */",
            "SELECT 1 -- ; DROP TABLE x", "SELECT \"semi;colon\" FROM t", "/* lead */ SELECT 1",
    })
    void oneQueryPasses(String sql) {
        SqlText.Checked c = SqlText.checkSingleQuery(sql);
        assertThat(c.ok()).as(c.problem()).isTrue();
        assertThat(c.sql()).doesNotEndWith(";");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1; SELECT 2", "SELECT 1; DROP TABLE customers", "SELECT ''; DROP TABLE customers; --'",
            "SELECT E'\\''; DELETE FROM orders; --'", "SELECT $$x$$; DELETE FROM orders",
    })
    void severalStatementsAreRefused(String sql) {
        assertThat(SqlText.checkSingleQuery(sql).problem()).contains("only one SQL statement");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DROP TABLE customers", "DELETE FROM orders", "UPDATE products SET price = 0", "INSERT INTO t VALUES (1)",
            "CREATE TABLE t (a int)", "COPY customers TO PROGRAM 'id'", "SET ROLE postgres", "RESET ROLE",
            "DO $$ BEGIN EXECUTE 'DROP TABLE customers'; END $$", "EXPLAIN ANALYZE SELECT 1", "/* SELECT */ DELETE FROM x",
            "(DELETE FROM x)", "SET SESSION AUTHORIZATION postgres", "PREPARE p AS SELECT 1", "LISTEN x",
    })
    void nonQueriesAreRefused(String sql) {
        assertThat(SqlText.checkSingleQuery(sql).problem()).contains("only a query");
    }

    @Test
    void emptyIsRefused() {
        assertThat(SqlText.checkSingleQuery(" -- nothing\n").problem()).contains("no SQL statement");
        assertThat(SqlText.checkSingleQuery(";").problem()).contains("no SQL statement");
    }

    @Test
    void topLevelOrderByOnly() {
        assertThat(SqlText.hasTopLevelOrderBy("SELECT * FROM t ORDER BY a")).isTrue();
        assertThat(SqlText.hasTopLevelOrderBy("select * from t order\n  by a desc limit 3")).isTrue();
        assertThat(SqlText.hasTopLevelOrderBy("(SELECT a FROM t) UNION (SELECT b FROM u) ORDER BY 1")).isTrue();
        assertThat(SqlText.hasTopLevelOrderBy("SELECT * FROM (SELECT * FROM t ORDER BY a) s")).isFalse();
        assertThat(SqlText.hasTopLevelOrderBy("WITH s AS (SELECT * FROM t ORDER BY a) SELECT * FROM s")).isFalse();
        assertThat(SqlText.hasTopLevelOrderBy("SELECT rank() OVER (ORDER BY a), string_agg(b, ',' ORDER BY b) FROM t GROUP BY a")).isFalse();
        assertThat(SqlText.hasTopLevelOrderBy("SELECT 'ORDER BY' FROM t -- ORDER BY a")).isFalse();
    }
}
