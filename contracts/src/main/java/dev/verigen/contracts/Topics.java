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
    /** Orchestrator → every gpu-worker instance: stop these generation jobs ({@link CancelJobs}). */
    public static final String GENERATION_CANCELS = "verigen.gen.cancels";
    /** gpu-worker → orchestrator: partial samples of running jobs that asked for them ({@link GenerationProgress}). */
    public static final String GENERATION_PROGRESS = "verigen.gen.progress";

    /**
     * Prefix of reward-model-svc's reply topics for the generation jobs it sends (LLM-as-judge, likelihood): one
     * topic per instance, {@code verigen.rm.gen.results.<instance-id>}, so results come back to the instance waiting.
     */
    public static final String RM_GENERATION_RESULTS = "verigen.rm.gen.results";

    private static final Pattern REPLY_TOPIC = Pattern.compile("verigen\\.[a-zA-Z0-9._-]{1,200}");
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

    /** A topic a job may ask its result to be sent to: a legal Kafka name under {@code verigen.}. */
    public static boolean isValidReplyTopic(String topic) {
        return topic != null && REPLY_TOPIC.matcher(topic).matches() && !topic.contains("..");
    }

    public static boolean isValidPoolName(String pool) {
        return pool != null && POOL_NAME.matcher(pool).matches();
    }
}
