package dev.verigen.support.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GatewayCredentialTest {

    @Test
    void withoutASecretOnlyTheDevelopmentFlagLetsAServiceStart() {
        assertThatThrownBy(() -> GatewayCredential.of(null, false, "verifier-svc"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("verifier-svc")
                .hasMessageContaining("VERIGEN_GATEWAY_SECRET").hasMessageContaining("VERIGEN_INSECURE_DEVELOPMENT");
        assertThatThrownBy(() -> GatewayCredential.of("  ", false, "x")).isInstanceOf(IllegalStateException.class);

        GatewayCredential open = GatewayCredential.of("", true, "x");
        assertThat(open.required()).isFalse();
        assertThat(open.secret()).isEmpty();
        assertThat(open.admits(null, null)).isTrue();
    }

    @Test
    void theSecretIsAdmittedAsTheServiceHeaderOrABearerTokenAndNothingElse() {
        GatewayCredential credential = GatewayCredential.of("s3cret", false, "x");
        assertThat(credential.required()).isTrue();
        assertThat(credential.admits("s3cret", null)).isTrue();
        assertThat(credential.admits(null, "Bearer s3cret")).isTrue();
        assertThat(credential.admits(null, "bearer s3cret")).isTrue();
        assertThat(credential.admits(null, null)).isFalse();
        assertThat(credential.admits("s3cre", null)).isFalse();
        assertThat(credential.admits("s3cretx", "Bearer s3cret")).as("a wrong header is not rescued").isFalse();
        assertThat(credential.admits(null, "Basic s3cret")).isFalse();
        assertThat(credential.admits(null, "Bearer")).isFalse();
    }
}
