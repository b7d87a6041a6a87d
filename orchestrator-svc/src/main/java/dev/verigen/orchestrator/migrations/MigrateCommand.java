package dev.verigen.orchestrator.migrations;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.LoggerFactory;

/**
 * {@code orchestrator-svc migrate}: applies the database migrations and exits, without starting the service. The
 * Helm chart runs it as a Job before any service starts, so replicas never race to migrate and the services may
 * use a login that cannot change the schema (they then run with {@code VERIGEN_DB_MIGRATE=false}). Reads the same
 * variables as the service: {@code VERIGEN_DB_URL}, {@code VERIGEN_DB_USER}, {@code VERIGEN_DB_PASSWORD}.
 */
public final class MigrateCommand {

    public static final String NAME = "migrate";
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/verigen";

    private MigrateCommand() {
    }

    public static boolean requested(String[] args) {
        return args.length > 0 && NAME.equals(args[0]);
    }

    /** Exit status: 0 when the schema is up to date, 1 when migrating failed (the reason on stderr). */
    public static int run(Map<String, String> env) {
        // Spring Boot is not started, so its logging defaults are not either: keep Flyway at INFO
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        String url = env.getOrDefault("VERIGEN_DB_URL", DEFAULT_URL);
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(url, env.getOrDefault("VERIGEN_DB_USER", "postgres"), env.getOrDefault("VERIGEN_DB_PASSWORD", ""))
                    .locations("classpath:db/migration")
                    .connectRetries(30)
                    .load()
                    .migrate();
            System.out.printf("verigen migrate: %s is at version %s (%d migration(s) applied)%n",
                    withoutParameters(url), result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                    result.migrationsExecuted);
            return 0;
        } catch (RuntimeException e) {
            System.err.println("verigen migrate: migrating " + withoutParameters(url) + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static String withoutParameters(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
