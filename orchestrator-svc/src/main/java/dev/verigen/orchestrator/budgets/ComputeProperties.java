package dev.verigen.orchestrator.budgets;

import dev.verigen.orchestrator.strategies.ComputeEstimator;
import dev.verigen.orchestrator.strategies.ModelSize;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How model work is priced in estimated FLOPs ({@link ComputeEstimator}): {@code verigen.orchestrator.models.<pool>},
 * {@code verigen.orchestrator.unknown-model} and {@code verigen.orchestrator.arithmetic-intensity}.
 *
 * @param models              model size by pool
 * @param unknownModel        assumed for a pool without an entry (e.g. a judge naming a pool nobody sized)
 * @param arithmeticIntensity FLOPs per byte of memory traffic of the serving hardware
 */
@Validated
@ConfigurationProperties("verigen.orchestrator")
public record ComputeProperties(@NotNull Map<String, @Valid @NotNull Model> models, @Valid @NotNull Model unknownModel,
                                @DecimalMin("0") @DecimalMax("1e6") double arithmeticIntensity) {

    /**
     * @param parameters    parameter count
     * @param layers        transformer layers
     * @param kvDim         KV heads × head dimension
     * @param bytesPerValue bytes per cached key or value element
     */
    public record Model(@DecimalMin(value = "0", inclusive = false) @DecimalMax("1e15") double parameters,
                        @Min(1) int layers, @Min(1) int kvDim, @Min(1) int bytesPerValue) {

        ModelSize size() {
            return new ModelSize(parameters, layers, kvDim, bytesPerValue);
        }
    }

    public ComputeEstimator estimator() {
        Map<String, ModelSize> sizes = new LinkedHashMap<>();
        models.forEach((pool, model) -> sizes.put(pool, model.size()));
        return new ComputeEstimator(sizes, unknownModel.size(), arithmeticIntensity, null);
    }
}
