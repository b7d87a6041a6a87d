package dev.verigen.deploy.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.LinkedHashMap;
import java.util.Map;

/** A container's environment as the rendered chart defines it: ConfigMap envFrom first, then env entries. */
public final class PodEnv {

    /** A variable whose value comes from a Secret: (secret, key). */
    public record SecretRef(String secret, String key) {
    }

    private PodEnv() {
    }

    /** Literal values (ConfigMaps, value:), and for valueFrom entries a description in angle brackets. */
    public static Map<String, String> of(Container container, Manifests manifests) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : nonNull(container.getEnvFrom())) {
            if (from.getConfigMapRef() != null) {
                env.putAll(manifests.get(ConfigMap.class, from.getConfigMapRef().getName()).getData());
            }
        }
        for (EnvVar v : nonNull(container.getEnv())) {
            if (v.getValueFrom() == null) {
                env.put(v.getName(), v.getValue());
            } else if (v.getValueFrom().getSecretKeyRef() != null) {
                env.put(v.getName(), "<secret " + v.getValueFrom().getSecretKeyRef().getName() + "/"
                        + v.getValueFrom().getSecretKeyRef().getKey() + ">");
            } else if (v.getValueFrom().getFieldRef() != null) {
                env.put(v.getName(), "<field " + v.getValueFrom().getFieldRef().getFieldPath() + ">");
            } else {
                env.put(v.getName(), "<valueFrom>");
            }
        }
        return env;
    }

    static <T> java.util.List<T> nonNull(java.util.List<T> list) {
        return list == null ? java.util.List.of() : list;
    }

    public static Map<String, SecretRef> secrets(Container container) {
        Map<String, SecretRef> refs = new LinkedHashMap<>();
        for (EnvVar v : nonNull(container.getEnv())) {
            if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
                refs.put(v.getName(), new SecretRef(v.getValueFrom().getSecretKeyRef().getName(), v.getValueFrom().getSecretKeyRef().getKey()));
            }
        }
        return refs;
    }
}
