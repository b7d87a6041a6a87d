package dev.verigen.deploy.chart;

import dev.verigen.deploy.runtime.ContainerSpec;
import dev.verigen.deploy.runtime.LocalContainer;
import dev.verigen.deploy.runtime.OciImage;
import dev.verigen.deploy.runtime.PodNetwork;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The kubelet's part: turns a rendered pod spec into a container this machine can start — image config overridden by
 * the pod spec (command and args, user, working directory), the environment resolved from ConfigMaps and Secrets
 * the way the kubelet resolves it, emptyDir volumes, the security context (runAsNonRoot refused for a root user,
 * capabilities, a read-only root), the memory limit and a network namespace of its own. Anything else in a pod spec
 * fails loudly, so a chart change this runner cannot honour is never silently passed.
 */
final class PodLauncher {

    private final Function<String, Path> rootfsOfImage;
    private final Function<String, OciImage> imageOf;
    private final Function<String, ConfigMap> configMaps;
    private final Function<String, Secret> secrets;
    private final PodNetwork network;
    private final Path workDir;
    private final String namespace;

    PodLauncher(Function<String, OciImage> imageOf, Function<String, Path> rootfsOfImage, Function<String, ConfigMap> configMaps,
                Function<String, Secret> secrets, PodNetwork network, Path workDir, String namespace) {
        this.imageOf = imageOf;
        this.rootfsOfImage = rootfsOfImage;
        this.configMaps = configMaps;
        this.secrets = secrets;
        this.network = network;
        this.workDir = workDir;
        this.namespace = namespace;
    }

    record RunningPod(String name, String owner, Map<String, String> labels, PodNetwork.Pod address, PodSpec spec,
                      LocalContainer container, long startedAtNanos) {
    }

    RunningPod launch(String podName, String owner, Map<String, String> labels, PodSpec pod, Path hostsFile) {
        if (pod.getContainers().size() != 1 || !nullOrEmpty(pod.getInitContainers())) {
            throw new UnsupportedOperationException(podName + ": this runner starts pods of exactly one container");
        }
        Container c = pod.getContainers().getFirst();
        OciImage image = imageOf.apply(c.getImage());
        PodNetwork.Pod address = network.addPod(podName);
        PodSecurityContext podSecurity = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
        SecurityContext security = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();

        String[] imageUser = image.user().split(":");
        long uid = first(security.getRunAsUser(), podSecurity.getRunAsUser(), Long.parseLong(imageUser[0]));
        long gid = first(security.getRunAsGroup(), podSecurity.getRunAsGroup(),
                imageUser.length > 1 ? Long.parseLong(imageUser[1]) : uid);
        boolean nonRoot = Boolean.TRUE.equals(first(security.getRunAsNonRoot(), podSecurity.getRunAsNonRoot(), false));
        if (nonRoot && uid == 0) {
            throw new IllegalStateException(podName + ": CreateContainerConfigError: runAsNonRoot and the container would run as root");
        }
        if (Boolean.TRUE.equals(security.getPrivileged())) {
            throw new UnsupportedOperationException(podName + ": privileged containers are not simulated");
        }

        List<String> command = new ArrayList<>(nullOrEmpty(c.getCommand()) ? image.entrypoint() : c.getCommand());
        command.addAll(c.getArgs() != null ? c.getArgs() : nullOrEmpty(c.getCommand()) ? image.cmd() : List.of());

        Map<String, String> env = new LinkedHashMap<>(image.env());
        env.put("HOSTNAME", podName);
        for (EnvFromSource from : nonNull(c.getEnvFrom())) {
            if (from.getConfigMapRef() != null) {
                env.putAll(require(configMaps.apply(from.getConfigMapRef().getName()), podName, "ConfigMap " + from.getConfigMapRef().getName()).getData());
            } else if (from.getSecretRef() != null) {
                decoded(require(secrets.apply(from.getSecretRef().getName()), podName, "Secret " + from.getSecretRef().getName())).forEach(env::put);
            }
        }
        for (EnvVar v : nonNull(c.getEnv())) {
            env.put(v.getName(), v.getValueFrom() == null ? Objects.toString(v.getValue(), "") : valueFrom(podName, address, v.getValueFrom()));
        }

        List<ContainerSpec.Mount> mounts = new ArrayList<>();
        Map<String, Path> volumes = new LinkedHashMap<>();
        for (Volume v : nonNull(pod.getVolumes())) {
            if (v.getEmptyDir() == null) {
                throw new UnsupportedOperationException(podName + ": volume " + v.getName() + " is not an emptyDir");
            }
            volumes.put(v.getName(), emptyDir(podName, v.getName()));
        }
        for (VolumeMount m : nonNull(c.getVolumeMounts())) {
            Path source = volumes.get(m.getName());
            if (source == null) {
                throw new IllegalStateException(podName + ": volumeMount " + m.getName() + " names no volume of the pod");
            }
            mounts.add(new ContainerSpec.Mount(source, m.getMountPath(), Boolean.TRUE.equals(m.getReadOnly())));
        }

        Set<String> capabilities = new HashSet<>(ContainerSpec.RUNTIME_DEFAULT_CAPABILITIES);
        Capabilities caps = security.getCapabilities();
        if (caps != null) {
            if (nonNull(caps.getDrop()).contains("ALL")) {
                capabilities.clear();
            }
            nonNull(caps.getDrop()).forEach(capabilities::remove);
            capabilities.addAll(nonNull(caps.getAdd()));
        }
        Quantity memory = c.getResources() == null || c.getResources().getLimits() == null ? null : c.getResources().getLimits().get("memory");

        ContainerSpec spec = new ContainerSpec(podName, rootfsOfImage.apply(c.getImage()), command, env, (int) uid, (int) gid,
                c.getWorkingDir() != null ? c.getWorkingDir() : image.workingDir(),
                Boolean.TRUE.equals(security.getReadOnlyRootFilesystem()), capabilities, mounts,
                memory == null ? 0 : Quantities.bytes(memory), address.netns(), hostsFile);
        LocalContainer container = LocalContainer.start(spec, workDir.resolve("logs").resolve(podName + ".log"));
        return new RunningPod(podName, owner, labels, address, pod, container, System.nanoTime());
    }

    private String valueFrom(String podName, PodNetwork.Pod address, EnvVarSource from) {
        if (from.getSecretKeyRef() != null) {
            Secret s = require(secrets.apply(from.getSecretKeyRef().getName()), podName, "Secret " + from.getSecretKeyRef().getName());
            return require(decoded(s).get(from.getSecretKeyRef().getKey()), podName,
                    "key " + from.getSecretKeyRef().getKey() + " of Secret " + from.getSecretKeyRef().getName());
        }
        if (from.getConfigMapKeyRef() != null) {
            ConfigMap cm = require(configMaps.apply(from.getConfigMapKeyRef().getName()), podName, "ConfigMap " + from.getConfigMapKeyRef().getName());
            return require(cm.getData().get(from.getConfigMapKeyRef().getKey()), podName, "key " + from.getConfigMapKeyRef().getKey());
        }
        if (from.getFieldRef() != null) {
            return switch (from.getFieldRef().getFieldPath()) {
                case "metadata.name" -> podName;
                case "metadata.namespace" -> namespace;
                case "status.podIP" -> address.address();
                default -> throw new UnsupportedOperationException(podName + ": fieldRef " + from.getFieldRef().getFieldPath());
            };
        }
        throw new UnsupportedOperationException(podName + ": valueFrom " + from);
    }

    private Path emptyDir(String podName, String volume) {
        try {
            Path dir = Files.createDirectories(workDir.resolve("volumes").resolve(podName).resolve(volume));
            // as the kubelet makes emptyDirs: writable by whatever user the container runs as
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> decoded(Secret s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (s.getStringData() != null) {
            out.putAll(s.getStringData());
        }
        return out;
    }

    private static <T> T require(T value, String podName, String what) {
        if (value == null) {
            throw new IllegalStateException(podName + ": CreateContainerConfigError: " + what + " not found");
        }
        return value;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static boolean nullOrEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }
}
