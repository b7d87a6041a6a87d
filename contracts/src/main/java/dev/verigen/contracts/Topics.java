package dev.verigen.contracts;

import java.util.regex.Pattern;

/** Kafka topic names. Every job topic has one result topic the orchestrator consumes. */
public final class Topics {

    public static final String GENERATION_JOBS = "verigen.gen.jobs";
    public static final String GENERATION_RESULTS = "verigen.gen.results";
    public static final String VERIFICATION_JOBS = "verigen.verify.jobs";
    public static final String VERIFICATION_RESULTS = "verigen.verify.results";
    public static final String SCORING_JOBS = "verigen.score.jobs";
    public static final String SCORING_RESULTS = "verigen.score.results";

    private static final String ENGINE_JOBS_PREFIX = "verigen.gpu.jobs.";
    private static final Pattern POOL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private Topics() {
    }

    /** Each model pool has its own topic, so the workers of one pool share its load. */
    public static String engineJobs(String pool) {
        if (!isValidPoolName(pool)) {
            throw new IllegalArgumentException("invalid model pool name: " + pool);
        }
        return ENGINE_JOBS_PREFIX + pool;
    }

    public static boolean isValidPoolName(String pool) {
        return pool != null && POOL_NAME.matcher(pool).matches();
    }
}
