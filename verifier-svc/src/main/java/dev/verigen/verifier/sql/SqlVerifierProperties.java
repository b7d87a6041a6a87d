package dev.verigen.verifier.sql;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code sql_execution} ({@code verigen.verifier.sql.*}).
 *
 * @param url                 JDBC URL of the sandbox database; created by the service (through the {@code postgres}
 *                            database of the same server) when missing
 * @param adminUser           role that sets the sandbox up: creates the database, the sandbox role and the sample
 *                            schemas; a superuser (or the role limits that need one are skipped with a warning)
 * @param adminPassword       its password (empty: none, e.g. trust auth)
 * @param sandboxRole         the login role candidates run as: it can only read the sample schemas
 * @param sandboxPassword     its password (empty: none; with password authentication set one)
 * @param statementTimeout    the longest a candidate or reference query may run
 * @param maxRows             the most rows a query may return; more is a FAIL ("more than N rows")
 * @param maxResultSize       the most bytes a query's result may take on the wire (pgjdbc's {@code maxResultBuffer})
 * @param workMem             {@code work_mem} of a sandbox transaction
 * @param tempFileLimit       {@code temp_file_limit} of the sandbox role (superuser-only setting, set on the role)
 * @param maxConnections      connection limit of the sandbox role
 * @param connectTimeout      how long to wait for PostgreSQL when connecting
 * @param setupRetryInterval  after a failed setup, how long verdicts say "unavailable" before the next attempt
 * @param setupAtStartup      set the sandbox up when the service starts (otherwise on the first {@code sql_execution} job)
 * @param schemas             the sample schemas known to the service; each is {@code classpath:sql-schemas/<name>.sql}
 * @param defaultSchema       the schema of a job that names none
 */
@Validated
@ConfigurationProperties("verigen.verifier.sql")
public record SqlVerifierProperties(
        @DefaultValue(DEFAULT_URL) @NotBlank @Pattern(regexp = URL_PATTERN, message = "must be jdbc:postgresql://host[:port]/database[?params]") String url,
        @DefaultValue("postgres") @NotBlank String adminUser,
        @DefaultValue("") String adminPassword,
        @DefaultValue("verigen_sql_sandbox") @Pattern(regexp = IDENTIFIER) String sandboxRole,
        @DefaultValue("") String sandboxPassword,
        @DefaultValue("2s") Duration statementTimeout,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxRows,
        @DefaultValue("64MB") DataSize maxResultSize,
        @DefaultValue("16MB") DataSize workMem,
        @DefaultValue("256MB") DataSize tempFileLimit,
        @DefaultValue("16") @Min(1) @Max(1000) int maxConnections,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration setupRetryInterval,
        @DefaultValue("true") boolean setupAtStartup,
        @DefaultValue("shop") @NotEmpty List<@Pattern(regexp = IDENTIFIER) String> schemas,
        @DefaultValue("shop") @Pattern(regexp = IDENTIFIER) String defaultSchema) {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/verigen_sql_sandbox";
    /** Lower-case SQL identifiers only: they are quoted into DDL, so nothing else may pass. */
    public static final String IDENTIFIER = "[a-z_][a-z0-9_]{0,62}";
    static final String URL_PATTERN = "jdbc:postgresql://[^/?#]+/[a-z_][a-z0-9_]{0,62}(\\?.*)?";

    public SqlVerifierProperties {
        schemas = schemas == null ? List.of() : List.copyOf(schemas);
        require(statementTimeout != null && statementTimeout.toMillis() >= 1 && statementTimeout.compareTo(Duration.ofMinutes(5)) <= 0,
                "statement-timeout must be between 1ms and 5m, was " + statementTimeout);
        require(connectTimeout != null && connectTimeout.toSeconds() >= 1, "connect-timeout must be at least 1s, was " + connectTimeout);
        require(setupRetryInterval != null && !setupRetryInterval.isNegative(), "setup-retry-interval must not be negative");
        require(maxResultSize != null && maxResultSize.toBytes() >= 1024, "max-result-size must be at least 1KB, was " + maxResultSize);
        require(workMem != null && workMem.toKilobytes() >= 64, "work-mem must be at least 64kB, was " + workMem);
        require(tempFileLimit != null && tempFileLimit.toKilobytes() >= 0, "temp-file-limit must not be negative");
        require(defaultSchema == null || schemas.contains(defaultSchema),
                "default-schema '" + defaultSchema + "' is not one of schemas " + schemas);
    }

    /** The {@code postgres} database of the sandbox's server, where the sandbox database is created. */
    public String maintenanceUrl() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(jdbc:postgresql://[^/?#]+/)([^?]+)(\\?.*)?$").matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException("not a PostgreSQL JDBC URL: " + url);
        }
        return m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
    }

    public String databaseName() {
        String path = url.substring(url.indexOf("//") + 2);
        String db = path.substring(path.indexOf('/') + 1);
        int q = db.indexOf('?');
        return q < 0 ? db : db.substring(0, q);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
