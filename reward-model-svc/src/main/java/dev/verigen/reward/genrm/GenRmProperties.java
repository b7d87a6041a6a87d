package dev.verigen.reward.genrm;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Model-backed scorers ({@code judge:<pool>}, {@code likelihood:<pool>}) that run on the platform's own model pools
 * through generator-svc and the gpu-workers.
 *
 * @param instanceId      names this instance's reply topic {@code verigen.rm.gen.results.<instance-id>}; blank = a
 *                        random id per start. Set a stable one (e.g. the pod name) to avoid leaving topics behind
 * @param judgeTemperature sampling temperature of the judge's k samples
 * @param judgeMaxTokens  max tokens of each judge sample. The orchestrator reserves budget assuming at most
 *                        {@code 256} (its {@code Costs.JUDGE_MAX_TOKENS}); keep them in step
 * @param judgeK          judge samples per candidate when the job asks no {@code k=}
 * @param maxK            the largest {@code k=} a job may ask
 * @param defaultTimeout  how long to wait for generations of a job that has no deadline
 */
@Validated
@ConfigurationProperties("verigen.reward.genrm")
public record GenRmProperties(
        @DefaultValue("") String instanceId,
        @DefaultValue("0.7") @DecimalMin("0.0") @DecimalMax("2.0") double judgeTemperature,
        @DefaultValue("256") @Min(1) @Max(256) int judgeMaxTokens,
        @DefaultValue("4") @Min(1) int judgeK,
        @DefaultValue("32") @Min(1) int maxK,
        @DefaultValue("120s") @NotNull Duration defaultTimeout) {
}
