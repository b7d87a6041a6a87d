package dev.verigen.generator.routing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PromptKeysTest {

    private final PromptKeys keys = new PromptKeys(512);

    @Test
    void samePrefixGivesTheSameKeyEvenWhenTheTailsDiffer() {
        String prefix = "x".repeat(512);
        assertThat(keys.keyOf(prefix + "tail one")).isEqualTo(keys.keyOf(prefix + "another tail"));
        assertThat(new PromptKeys(512).keyOf("What is 17 + 25?")).isEqualTo(keys.keyOf("What is 17 + 25?"));
    }

    @Test
    void differentPrefixesGiveDifferentKeys() {
        assertThat(keys.keyOf("What is 17 + 25?")).isNotEqualTo(keys.keyOf("What is 17 + 26?"));
        String prefix = "x".repeat(511);
        assertThat(keys.keyOf(prefix + "a")).isNotEqualTo(keys.keyOf(prefix + "b"));
    }

    @Test
    void keyIsTheHexSha256OfThePrefix() {
        // sha256("abc"), a published test vector
        assertThat(new String(new PromptKeys(3).keyOf("abcdef"), StandardCharsets.US_ASCII))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
