package dev.verigen.verifier.api;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the HTTP API.
 *
 * @param maxBodyBytes      largest request body read; larger ones get 413 (kept at or under Tomcat's
 *                          {@code max-swallow-size}, 2 MiB, so the client still reads the answer)
 * @param maxCandidateBytes largest candidate, reference or prompt in UTF-8 bytes; larger ones get 413
 */
@Validated
@ConfigurationProperties("verigen.verifier.api")
public record ApiProperties(
        @DefaultValue("2097152") @Min(1024) int maxBodyBytes,
        @DefaultValue("1048576") @Min(1) int maxCandidateBytes) {
}
