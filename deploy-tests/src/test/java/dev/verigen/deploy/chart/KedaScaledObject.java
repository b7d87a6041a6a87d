package dev.verigen.deploy.chart;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's ScaledObject (keda.sh/v1alpha1), the fields of its CRD this chart may use, parsed strictly: any other field
 * fails. Trigger metadata is checked against the Kafka scaler's documented parameters in {@link #KAFKA_METADATA}.
 */
public record KedaScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    public record Spec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod,
                       Integer initialCooldownPeriod, Integer idleReplicaCount, Integer minReplicaCount,
                       Integer maxReplicaCount, Map<String, Object> advanced, Map<String, Object> fallback,
                       List<Trigger> triggers) {
    }

    public record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    public record Trigger(String type, String name, Boolean useCachedMetrics, String metricType,
                          Map<String, String> metadata, Map<String, Object> authenticationRef) {
    }

    /** The kafka scaler's parameters (KEDA 2.x documentation); values are strings in the CRD. */
    public static final Set<String> KAFKA_METADATA = Set.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold",
            "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers", "scaleToZeroOnInvalidOffset",
            "excludePersistentLag", "version", "partitionLimitation", "sasl", "tls", "unsafeSsl",
            "limitToPartitionsWithLag", "ensureEvenDistributionOfPartitions");
}
