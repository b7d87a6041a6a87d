package dev.verigen.deploy.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One container, as a container runtime is asked to start it after the image's config and the pod spec are
 * combined.
 *
 * @param name           unique within a test; names its cgroup and its log
 * @param rootfs         the unpacked image
 * @param command        the whole argument vector (entrypoint and arguments)
 * @param capabilities   for a container running as root: the capabilities it keeps (Linux names without CAP_)
 * @param memoryLimit    bytes, enforced by a memory cgroup; 0: none
 * @param netns          the network namespace to run in; null: the host's
 * @param hostsFile      bound over /etc/hosts (the cluster DNS, as far as these tests need one); null: none
 */
public record ContainerSpec(String name, Path rootfs, List<String> command, Map<String, String> env, int uid, int gid,
                            String workingDir, boolean readOnlyRoot, Set<String> capabilities, List<Mount> mounts,
                            long memoryLimit, String netns, Path hostsFile) {

    public record Mount(Path source, String target, boolean readOnly) {
    }

    /** The capabilities containerd and Docker give a container by default. */
    public static final Set<String> RUNTIME_DEFAULT_CAPABILITIES = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER",
            "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
            "AUDIT_WRITE");
}
