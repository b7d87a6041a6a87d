package dev.verigen.reward.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import tools.jackson.databind.JsonNode;

/** Reads reward values out of the shapes vLLM's pooling outputs take. */
final class RewardValues {

    private RewardValues() {
    }

    /**
     * One reward from a pooling output: a number is the reward; a vector {@code [v0, v1, ...]} (a classification head,
     * e.g. {@code [p_neg, p_pos]}) gives its element {@code labelIndex}; a matrix (one row per token, ALL pooling) gives
     * that element of its last row, the last token's.
     */
    static OptionalDouble outcome(JsonNode data, int labelIndex) {
        if (data.isNumber()) {
            return OptionalDouble.of(data.asDouble());
        }
        if (!data.isArray() || data.isEmpty()) {
            return OptionalDouble.empty();
        }
        JsonNode last = data.get(data.size() - 1);
        return last.isArray() ? element(last, labelIndex) : element(data, labelIndex);
    }

    /**
     * One reward per step from a STEP pooling output: each row is a step tag's output, a number or a vector whose
     * element {@code labelIndex} is the reward (Qwen2.5-Math-PRM: {@code [p_neg, p_pos]}).
     */
    static Optional<List<Double>> steps(JsonNode data, int labelIndex) {
        if (!data.isArray()) {
            return Optional.empty();
        }
        List<Double> values = new ArrayList<>(data.size());
        for (JsonNode row : data) {
            OptionalDouble v = row.isNumber() ? OptionalDouble.of(row.asDouble()) : element(row, labelIndex);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            values.add(v.getAsDouble());
        }
        return Optional.of(values);
    }

    static OptionalDouble element(JsonNode vector, int labelIndex) {
        if (!vector.isArray() || vector.isEmpty()) {
            return OptionalDouble.empty();
        }
        int i = labelIndex < 0 ? vector.size() + labelIndex : labelIndex;
        if (vector.size() == 1) {
            i = 0; // a single-output head: that output is the reward whatever the label index
        }
        if (i < 0 || i >= vector.size() || !vector.get(i).isNumber()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(vector.get(i).asDouble());
    }

    static double transform(ScorerConfig.Transform t, double v) {
        return t == ScorerConfig.Transform.SIGMOID ? 1 / (1 + Math.exp(-v)) : v;
    }

    static boolean finite(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v);
    }
}
