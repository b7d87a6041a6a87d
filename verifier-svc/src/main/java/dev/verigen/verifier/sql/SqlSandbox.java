package dev.verigen.verifier.sql;

import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.sql.QueryResult.Cell;
import dev.verigen.verifier.sql.QueryResult.Failed;
import dev.verigen.verifier.sql.QueryResult.Failure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The PostgreSQL sandbox of {@code sql_execution}: sets it up (database, read-only role, sample schemas) and runs one
 * query at a time in it.
 * <p>
 * Every query gets its own connection, logged in as the sandbox role (never a superuser session that switched
 * role, which a query could switch back), and its own read-only transaction that is always rolled back, with a
 * statement timeout, a lock timeout, an idle-in-transaction timeout, {@code work_mem}, a row limit and a result size
 * limit. The connection is closed afterwards, so nothing a query leaves in its session (advisory locks, prepared
 * statements, settings) outlives it.
 * <p>
 * If PostgreSQL cannot be reached the service runs on; {@link #ensureReady()} retries the setup at most every
 * {@code setup-retry-interval} and says why the sandbox is unavailable meanwhile.
 */
@Component
public class SqlSandbox {

    private static final Logger log = LoggerFactory.getLogger(SqlSandbox.class);

    /** pg_advisory_lock key on the {@code postgres} database: one setup at a time per server ("verigenS"). */
    private static final long SETUP_LOCK = 0x7665726967656e53L;
    private static final String SCHEMA_COMMENT = "verigen sample schema sha256=";

    /**
     * Built-ins that every role may call by default and that a read-only query could still misuse: sleeping, signalling
     * (and so killing) other sandbox sessions, session-level advisory locks that block other candidates, notifications,
     * changing settings mid-statement, and reading what other sandbox sessions run. Revoked from PUBLIC in the sandbox
     * database only (pg_proc is per database).
     */
    static final List<String> REVOKED_FUNCTIONS = List.of(
            "pg_sleep", "pg_sleep_for", "pg_sleep_until",
            "pg_terminate_backend", "pg_cancel_backend",
            "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared",
            "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", "pg_try_advisory_xact_lock",
            "pg_try_advisory_xact_lock_shared", "pg_advisory_unlock", "pg_advisory_unlock_shared", "pg_advisory_unlock_all",
            "pg_notify", "set_config", "pg_stat_get_activity");

    /** SQLSTATE classes that say the server or the connection failed, not the query. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("08", "28", "3D", "57P", "58", "XX");

    private final SqlVerifierProperties props;
    private final SampleSchemas schemas;
    private final ReentrantLock setupLock = new ReentrantLock();
    private volatile boolean ready;
    private volatile String unavailable = "not set up yet";
    private volatile long lastAttemptNanos;
    private volatile boolean attempted;

    public SqlSandbox(SqlVerifierProperties props) {
        this.props = props;
        this.schemas = SampleSchemas.load(props.schemas());
    }

    public SampleSchemas schemas() {
        return schemas;
    }

    public SqlVerifierProperties properties() {
        return props;
    }

    @EventListener(ApplicationReadyEvent.class)
    void setUpInBackground() {
        if (props.setupAtStartup()) {
            Thread.ofVirtual().name("sql-sandbox-setup").start(this::ensureReady);
        }
    }

    /** Empty when the sandbox is ready (setting it up if needed), else why it is not. */
    public Optional<String> ensureReady() {
        if (ready) {
            return Optional.empty();
        }
        setupLock.lock();
        try {
            if (ready) {
                return Optional.empty();
            }
            if (attempted && System.nanoTime() - lastAttemptNanos < props.setupRetryInterval().toNanos()) {
                return Optional.of(unavailable);
            }
            attempted = true;
            lastAttemptNanos = System.nanoTime();
            try {
                setUp();
                ready = true;
                log.info("SQL sandbox ready: database {} at {}, role {}, schemas {}", props.databaseName(),
                        props.maintenanceUrl().replaceFirst("/postgres(\\?.*)?$", ""), props.sandboxRole(), schemas.names());
                return Optional.empty();
            } catch (SQLException | RuntimeException e) {
                unavailable = Text.excerpt(e.getMessage(), 200);
                log.warn("SQL sandbox unavailable (sql_execution answers ERROR until it is; next attempt in {}): {}",
                        props.setupRetryInterval(), unavailable);
                return Optional.of(unavailable);
            }
        } finally {
            setupLock.unlock();
        }
    }

    // ---------------------------------------------------------------- setup (as the admin role)

    private void setUp() throws SQLException {
        Properties admin = new Properties();
        admin.setProperty("user", props.adminUser());
        if (!props.adminPassword().isEmpty()) {
            admin.setProperty("password", props.adminPassword());
        }
        admin.setProperty("connectTimeout", String.valueOf(props.connectTimeout().toSeconds()));
        admin.setProperty("socketTimeout", "120");
        admin.setProperty("ApplicationName", "verigen-sql-setup");
        String db = props.databaseName();
        String role = props.sandboxRole();
        try (Connection c = DriverManager.getConnection(props.maintenanceUrl(), admin); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = '60s'");
            s.execute("SELECT pg_advisory_lock(" + SETUP_LOCK + ")");
            try {
                if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", db)) {
                    ignoring("42P04", () -> s.execute("CREATE DATABASE " + ident(db)));
                    log.info("created SQL sandbox database {}", db);
                }
                if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                    ignoring("42710", () -> s.execute("CREATE ROLE " + ident(role) + " LOGIN"));
                }
                // only a superuser may even name the superuser-only attributes; a login that is not one cannot have
                // given them either, and requireUnprivileged checks they are off
                boolean superuser = Boolean.TRUE.equals(superuser(c));
                s.execute("ALTER ROLE " + ident(role) + " WITH LOGIN" + (superuser ? " NOSUPERUSER" : "")
                        + " NOCREATEDB NOCREATEROLE NOINHERIT" + (superuser ? " NOREPLICATION NOBYPASSRLS" : "")
                        + " CONNECTION LIMIT " + props.maxConnections() + " PASSWORD "
                        + (props.sandboxPassword().isEmpty() ? "NULL" : literal(props.sandboxPassword())));
                requireUnprivileged(c, role);
                // session defaults of the role: in force even before the per-transaction SET LOCALs
                long ms = props.statementTimeout().toMillis();
                s.execute("ALTER ROLE " + ident(role) + " SET statement_timeout = " + ms);
                s.execute("ALTER ROLE " + ident(role) + " SET lock_timeout = " + ms);
                s.execute("ALTER ROLE " + ident(role) + " SET idle_in_transaction_session_timeout = " + idleMillis());
                s.execute("ALTER ROLE " + ident(role) + " SET default_transaction_read_only = on");
                s.execute("ALTER ROLE " + ident(role) + " SET work_mem = '" + props.workMem().toKilobytes() + "kB'");
                try {
                    // superuser-only setting; a non-superuser admin leaves it at the server's value
                    s.execute("ALTER ROLE " + ident(role) + " SET temp_file_limit = '" + props.tempFileLimit().toKilobytes() + "kB'");
                } catch (SQLException e) {
                    log.warn("cannot limit temp files of {}: {}", role, e.getMessage());
                }
                // membership in any role (pg_read_all_data, pg_read_server_files, ...) would widen what it can do
                for (String granted : strings(c, "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
                        + " WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = ?)", role)) {
                    s.execute("REVOKE " + ident(granted) + " FROM " + ident(role));
                    log.warn("revoked membership of {} in {}", role, granted);
                }
                try (Connection d = DriverManager.getConnection(props.url(), admin)) {
                    setUpDatabase(d, db, role);
                    requireRevoked(d, role);
                }
                if (Boolean.TRUE.equals(superuser(c))) {
                    log.warn("the SQL sandbox is set up by {}, a superuser: give it a login of its own with CREATEDB and "
                            + "CREATEROLE only (infra/sql-sandbox-provision.sql; verifier-svc/README.md)",
                            props.adminUser());
                }
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + SETUP_LOCK + ")");
            }
        }
    }

    private static void requireUnprivileged(Connection c, String role) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT rolsuper OR rolreplication OR rolbypassrls OR rolcreatedb"
                + " OR rolcreaterole FROM pg_roles WHERE rolname = ?")) {
            q.setString(1, role);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    throw new IllegalStateException("the sandbox role " + role + " holds a privileged attribute "
                            + "(superuser, replication, bypassrls, createdb or createrole) that the set-up login cannot "
                            + "take away: a superuser must (ALTER ROLE " + role + " NOSUPERUSER NOREPLICATION NOBYPASSRLS)");
                }
            }
        }
    }

    private static Boolean superuser(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() ? rs.getBoolean(1) : null;
        }
    }

    /**
     * Fails the setup when the sandbox role may still call one of {@link #REVOKED_FUNCTIONS}. Only their owner (the
     * bootstrap superuser) can revoke them, so a set-up login that is not a superuser depends on a superuser having
     * done it once ({@code infra/sql-sandbox-provision.sql}); its own REVOKEs then only warn. Fail closed: a sandbox
     * whose queries could change their own statement timeout or kill other sessions is no sandbox.
     */
    private static void requireRevoked(Connection d, String role) throws SQLException {
        try (PreparedStatement q = d.prepareStatement("SELECT p.oid::regprocedure::text FROM pg_proc p"
                + " WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname = ANY (?)"
                + " AND has_function_privilege(?, p.oid, 'EXECUTE') ORDER BY 1")) {
            q.setArray(1, d.createArrayOf("text", REVOKED_FUNCTIONS.toArray()));
            q.setString(2, role);
            List<String> open = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    open.add(rs.getString(1));
                }
            }
            if (!open.isEmpty()) {
                throw new IllegalStateException("the sandbox role " + role + " may still call " + open.size()
                        + " functions it must not (" + open.getFirst() + ", ...): a set-up login that is not a "
                        + "superuser cannot revoke them; run infra/sql-sandbox-provision.sql once as a superuser");
            }
        }
    }

    private void setUpDatabase(Connection d, String db, String role) throws SQLException {
        d.setAutoCommit(false);
        try (Statement s = d.createStatement()) {
            s.execute("SET LOCAL statement_timeout = '60s'");
            // PUBLIC loses CONNECT and TEMP; the sandbox role gets CONNECT only: no temp tables, no CREATE anywhere
            s.execute("REVOKE ALL ON DATABASE " + ident(db) + " FROM PUBLIC");
            s.execute("GRANT CONNECT ON DATABASE " + ident(db) + " TO " + ident(role));
            s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            s.execute("REVOKE ALL ON SCHEMA public FROM " + ident(role));
            // only those this login can still call: one that can no longer has had them revoked by a superuser
            // (infra/sql-sandbox-provision.sql), and revoking what it holds no privilege on is an error
            try (PreparedStatement functions = d.prepareStatement("SELECT p.oid::regprocedure::text FROM pg_proc p"
                    + " WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname = ANY (?)"
                    + " AND has_function_privilege(p.oid, 'EXECUTE')")) {
                functions.setArray(1, d.createArrayOf("text", REVOKED_FUNCTIONS.toArray()));
                List<String> signatures = new ArrayList<>();
                try (ResultSet rs = functions.executeQuery()) {
                    while (rs.next()) {
                        signatures.add(rs.getString(1));
                    }
                }
                for (String signature : signatures) {
                    s.execute("REVOKE EXECUTE ON FUNCTION " + signature + " FROM PUBLIC");
                }
            }
            for (SampleSchemas.Schema schema : schemas.all()) {
                String name = ident(schema.name());
                String comment = SCHEMA_COMMENT + schema.sha256();
                String current = null;
                try (PreparedStatement q = d.prepareStatement(
                        "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = ?")) {
                    q.setString(1, schema.name());
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next()) {
                            current = rs.getString(1);
                        }
                    }
                }
                if (!comment.equals(current)) {
                    s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
                    s.execute("CREATE SCHEMA " + name);
                    s.execute("SET LOCAL search_path TO " + name);
                    s.execute(schema.script());
                    s.execute("SET LOCAL search_path TO DEFAULT");
                    s.execute("COMMENT ON SCHEMA " + name + " IS " + literal(comment));
                    log.info("created sample schema {} in {}", schema.name(), db);
                }
                s.execute("REVOKE ALL ON SCHEMA " + name + " FROM PUBLIC");
                s.execute("REVOKE ALL ON ALL TABLES IN SCHEMA " + name + " FROM PUBLIC");
                s.execute("REVOKE ALL ON ALL TABLES IN SCHEMA " + name + " FROM " + ident(role));
                s.execute("GRANT USAGE ON SCHEMA " + name + " TO " + ident(role));
                s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + name + " TO " + ident(role));
            }
            d.commit();
        } catch (SQLException | RuntimeException e) {
            d.rollback();
            throw e;
        }
    }

    // ---------------------------------------------------------------- running a query (as the sandbox role)

    /** Runs one already-checked query in {@code schema}; never throws. The caller has {@link #ensureReady()}. */
    public QueryResult run(String schema, String sql) {
        Connection c;
        try {
            c = DriverManager.getConnection(props.url(), sandboxLogin());
        } catch (SQLException e) {
            return new Failed(Failure.UNAVAILABLE, "cannot connect to the SQL sandbox: " + Text.excerpt(e.getMessage(), 200));
        }
        try (c) {
            c.setAutoCommit(false);
            try {
                return runInTransaction(c, schema, sql);
            } finally {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is closed next; an open transaction dies with it
                }
            }
        } catch (SQLException e) {
            return failure(e);
        }
    }

    private QueryResult runInTransaction(Connection c, String schema, String sql) throws SQLException {
        long ms = props.statementTimeout().toMillis();
        try (Statement s = c.createStatement()) {
            // one round trip; pgjdbc sends these as separate statements of one transaction
            s.execute("SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = " + ms + "; SET LOCAL lock_timeout = " + ms
                    + "; SET LOCAL idle_in_transaction_session_timeout = " + idleMillis()
                    + "; SET LOCAL work_mem = '" + props.workMem().toKilobytes() + "kB'"
                    + "; SET LOCAL search_path TO " + ident(schema));
        }
        try (Statement s = c.createStatement()) {
            s.setEscapeProcessing(false);
            s.setMaxRows(props.maxRows() + 1);
            // the client's own cancel, should the server's timeout not fire
            s.setQueryTimeout((int) Math.max(1, (ms + 999) / 1000 + 1));
            if (!s.execute(sql)) {
                return new Failed(Failure.NOT_A_QUERY, "the statement returned no rows (not a query)");
            }
            QueryResult.Rows rows;
            try (ResultSet rs = s.getResultSet()) {
                rows = read(rs);
            }
            if (s.getMoreResults() || s.getUpdateCount() != -1) {
                return new Failed(Failure.NOT_A_QUERY, "only one SQL statement is allowed, the driver ran several");
            }
            if (rows.rows().size() > props.maxRows()) {
                return new Failed(Failure.TOO_MANY_ROWS, "more than " + props.maxRows() + " rows");
            }
            return rows;
        }
    }

    private static QueryResult.Rows read(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String> columns = new ArrayList<>(n);
        char[] kinds = new char[n];
        for (int i = 1; i <= n; i++) {
            columns.add(meta.getColumnLabel(i));
            kinds[i - 1] = switch (meta.getColumnTypeName(i)) {
                case "int2", "int4", "int8", "oid", "numeric", "float4", "float8" -> Cell.NUMBER;
                case "bool" -> Cell.BOOLEAN;
                default -> Cell.TEXT;
            };
        }
        List<List<Cell>> rows = new ArrayList<>();
        while (rs.next()) {
            List<Cell> row = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                String v = rs.getString(i);
                row.add(v == null ? Cell.NULL : switch (kinds[i - 1]) {
                    case Cell.NUMBER -> Cell.number(v);
                    case Cell.BOOLEAN -> Cell.bool(v);
                    default -> Cell.text(v);
                });
            }
            rows.add(row);
        }
        return new QueryResult.Rows(columns, rows);
    }

    private Failed failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = Text.excerpt(e.getMessage(), 300);
        if (state.equals("57014")) {
            return new Failed(Failure.TIMEOUT, "canceled after the statement timeout of " + props.statementTimeout().toMillis()
                    + " ms (" + message + ")");
        }
        if (message.contains("maxResultBuffer")) {
            return new Failed(Failure.TOO_LARGE, "result larger than " + props.maxResultSize().toBytes() + " bytes");
        }
        if (state.isEmpty() || UNAVAILABLE_STATES.stream().anyMatch(state::startsWith) || state.equals("53300")) {
            return new Failed(Failure.UNAVAILABLE, "SQL sandbox failed [" + state + "]: " + message);
        }
        return new Failed(Failure.SQL_ERROR, "[" + state + "] " + message);
    }

    private Properties sandboxLogin() {
        Properties p = new Properties();
        p.setProperty("user", props.sandboxRole());
        if (!props.sandboxPassword().isEmpty()) {
            p.setProperty("password", props.sandboxPassword());
        }
        long ms = props.statementTimeout().toMillis();
        p.setProperty("connectTimeout", String.valueOf(props.connectTimeout().toSeconds()));
        p.setProperty("socketTimeout", String.valueOf(props.statementTimeout().toSeconds() + 30));
        p.setProperty("maxResultBuffer", String.valueOf(props.maxResultSize().toBytes()));
        p.setProperty("preferQueryMode", "extended");
        p.setProperty("readOnly", "true");
        p.setProperty("ApplicationName", "verigen-sql-sandbox");
        p.setProperty("options", "-c statement_timeout=" + ms + " -c default_transaction_read_only=on");
        return p;
    }

    private long idleMillis() {
        return props.statementTimeout().toMillis() + 5_000;
    }

    // ---------------------------------------------------------------- helpers

    static String ident(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + Text.excerpt(name, 70));
        }
        return "\"" + name + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        return !strings(c, sql, arg).isEmpty();
    }

    private static List<String> strings(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, arg);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    /** Runs DDL that a concurrent setup on another instance may have done first. */
    private static void ignoring(String sqlState, SqlAction action) throws SQLException {
        try {
            action.run();
        } catch (SQLException e) {
            if (!sqlState.equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }
}
