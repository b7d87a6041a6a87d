package dev.verigen.deploy.chart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rendered chart as typed Kubernetes API objects (fabric8's model; KEDA's ScaledObject as {@link KedaScaledObject},
 * the Prometheus Operator's PrometheusRule as {@link PrometheusRuleResource}).
 * Parsing is strict: a kind the chart should not render, or any field the API type does not have, fails — fabric8
 * keeps unknown fields aside rather than refusing them, so every parsed object is walked for such leftovers.
 */
public final class Manifests {

    private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class),
            Map.entry("keda.sh/v1alpha1/ScaledObject", KedaScaledObject.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRuleResource.class));
    /** Kinds whose CRDs fabric8 does not model here: parsed into records of their own, strictly. */
    private static final Set<Class<?>> RECORDS = Set.of(KedaScaledObject.class, PrometheusRuleResource.class);

    private final List<Obj> objects;

    private Manifests(List<Obj> objects) {
        this.objects = objects;
    }

    /** One rendered object: its raw form and its typed form. */
    public record Obj(String kind, String name, JsonNode raw, Object typed) {

        public String id() {
            return kind + "/" + name;
        }

        public String annotation(String key) {
            JsonNode a = raw.path("metadata").path("annotations").get(key);
            return a == null ? null : a.asText();
        }
    }

    public static Manifests parse(String yaml) {
        List<Obj> out = new ArrayList<>();
        try {
            for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                Class<?> type = TYPES.get(key);
                String name = doc.path("metadata").path("name").asText();
                if (type == null) {
                    throw new AssertionError("the chart renders " + key + " " + name + ", a kind these tests do not know");
                }
                Object typed = RECORDS.contains(type) ? STRICT.treeToValue(doc, type) : JSON.treeToValue(doc, type);
                List<String> unknown = new ArrayList<>();
                unknownFields(typed, doc.path("kind").asText() + " " + name, unknown, new IdentityHashMap<>());
                if (!unknown.isEmpty()) {
                    throw new AssertionError("fields the Kubernetes API does not have: " + unknown);
                }
                out.add(new Obj(doc.path("kind").asText(), name, doc, typed));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the rendering is not valid YAML", e);
        }
        return new Manifests(out);
    }

    public List<Obj> all() {
        return objects;
    }

    public <T> List<T> of(Class<T> type) {
        return objects.stream().filter(o -> type.isInstance(o.typed())).map(o -> type.cast(o.typed())).toList();
    }

    public <T> T get(Class<T> type, String name) {
        return objects.stream().filter(o -> type.isInstance(o.typed()) && o.name().equals(name)).map(o -> type.cast(o.typed()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " rendered; rendered: "
                        + objects.stream().map(Obj::id).toList()));
    }

    public boolean has(Class<?> type, String name) {
        return objects.stream().anyMatch(o -> type.isInstance(o.typed()) && o.name().equals(name));
    }

    public Obj raw(String kind, String name) {
        return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    /** fabric8 types collect unknown fields in additionalProperties instead of refusing them: find any. */
    private static void unknownFields(Object o, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (!(o instanceof KubernetesResource) && !o.getClass().getName().startsWith("io.fabric8")) {
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            if (value != null && !(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
                unknownFields(value, path + "." + getter.getName().substring(3, 4).toLowerCase() + getter.getName().substring(4),
                        unknown, seen);
            }
        }
    }

    /** The environment variable names a container's env list and ConfigMap envFrom give it. */
    public static Set<String> names(ObjectNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
