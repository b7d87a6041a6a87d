package dev.verigen.deploy;

import java.nio.file.Path;

/** Where the repository and its build outputs are, as the pom tells the tests. */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        return Path.of(System.getProperty("verigen.root", "..")).toAbsolutePath().normalize();
    }

    public static String version() {
        return System.getProperty("verigen.version", "0.1.0-SNAPSHOT");
    }

    /** The image archive jib:buildTar wrote for a service module. */
    public static Path image(String module) {
        return root().resolve(module).resolve("target/jib-image.tar");
    }

    public static Path target() {
        return root().resolve("deploy-tests/target");
    }
}
