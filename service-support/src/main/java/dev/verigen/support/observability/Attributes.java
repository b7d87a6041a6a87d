package dev.verigen.support.observability;

/**
 * Span attribute names. OpenTelemetry's GenAI semantic conventions where they define the thing (model, operation,
 * token usage, sampling), {@code verigen.*} for what only this platform has (runs, steps, candidates, verdicts).
 */
public final class Attributes {

    public static final String RUN = "verigen.run.id";
    public static final String STEP = "verigen.step.id";
    public static final String STEP_KIND = "verigen.step.kind";
    public static final String STEP_LABEL = "verigen.step.label";
    public static final String JOB = "verigen.job.id";
    public static final String ATTEMPT = "verigen.job.attempt";
    public static final String TENANT = "verigen.tenant";
    public static final String STRATEGY = "verigen.strategy";
    public static final String POOL = "verigen.pool";
    public static final String BACKEND = "verigen.backend";
    public static final String ROLE = "verigen.role";
    public static final String CANDIDATES = "verigen.candidates";
    public static final String SAMPLES = "verigen.samples";
    public static final String VERIFIER = "verigen.verifier";
    public static final String SCORER = "verigen.scorer";
    public static final String VERDICTS_PASS = "verigen.verdicts.pass";
    public static final String VERDICTS_FAIL = "verigen.verdicts.fail";
    public static final String VERDICTS_ERROR = "verigen.verdicts.error";
    public static final String SCORE_MAX = "verigen.score.max";
    public static final String RESERVED_TOKENS = "verigen.reserved.tokens";
    public static final String OUTCOME = "verigen.outcome";
    public static final String ERROR_CODE = "error.type";

    public static final String GEN_AI_OPERATION = "gen_ai.operation.name";
    public static final String GEN_AI_MODEL = "gen_ai.request.model";
    public static final String GEN_AI_TEMPERATURE = "gen_ai.request.temperature";
    public static final String GEN_AI_MAX_TOKENS = "gen_ai.request.max_tokens";
    public static final String GEN_AI_CHOICES = "gen_ai.request.choice.count";
    public static final String GEN_AI_INPUT_TOKENS = "gen_ai.usage.input_tokens";
    public static final String GEN_AI_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    public static final String GEN_AI_FINISH_REASONS = "gen_ai.response.finish_reasons";

    private Attributes() {
    }
}
