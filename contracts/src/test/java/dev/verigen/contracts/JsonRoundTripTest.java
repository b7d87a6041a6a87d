package dev.verigen.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonRoundTripTest {

    static Stream<Object> messages() {
        return MessageFixtures.all().stream();
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageSurvivesARoundTrip(Object message) {
        byte[] bytes = Json.write(message);
        Object back = Json.read(bytes, message.getClass());
        assertThat(back).isEqualTo(message);
        assertThat(Json.write(back)).isEqualTo(bytes);
    }

    @Test
    void wireFormatUsesReadableNames() {
        String json = Json.writeString(MessageFixtures.all().get(4));
        assertThat(json).contains("\"role\":\"REFINE\"", "\"pool\":\"sim-math\"", "\"jobId\":\"00000000-0000-4000-8000-000000000001\"",
                "\"deadline\":\"2026-11-24T10:15:30.123Z\"");
    }

    @Test
    void unknownFieldsFromNewerProducersAreIgnored() {
        String json = "{\"promptTokens\":1,\"completionTokens\":2,\"calls\":3,\"engineMs\":4,\"wallMs\":5,\"gpuSeconds\":9}";
        assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8), Usage.class)).isEqualTo(new Usage(1, 2, 3, 4, 5));
    }

    @Test
    void messagesFromProducersWithoutTheStepWiseFieldsStillDecode() {
        String older = Json.writeString(MessageFixtures.all().get(4)).replace(",\"partial\":null,\"oneStep\":false", "");
        assertThat(older).doesNotContain("oneStep");
        GenerationJob job = Json.read(older.getBytes(StandardCharsets.UTF_8), GenerationJob.class);
        assertThat(job.oneStep()).isFalse();
        assertThat(job.partial()).isNull();
    }

    @Test
    void invalidMessagesAreRejectedWithAReadableReason() {
        byte[] negative = "{\"promptTokens\":-1,\"completionTokens\":0,\"calls\":0,\"engineMs\":0,\"wallMs\":0}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.read(negative, Usage.class))
                .isInstanceOf(Json.MalformedMessageException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> Json.read("{not json".getBytes(StandardCharsets.UTF_8), GenerationJob.class))
                .isInstanceOf(Json.MalformedMessageException.class)
                .hasMessageStartingWith("GenerationJob");
        assertThatThrownBy(() -> Json.read("{\"n\":3}".getBytes(StandardCharsets.UTF_8), GenerationJob.class))
                .isInstanceOf(Json.MalformedMessageException.class)
                .hasMessageContaining("meta");
    }

    @Test
    void poolTopicsAreDerivedFromValidPoolNamesOnly() {
        assertThat(Topics.engineJobs("sim-math")).isEqualTo("verigen.gpu.jobs.sim-math");
        assertThatThrownBy(() -> Topics.engineJobs("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topics.engineJobs("Upper")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usageAddsUp() {
        assertThat(new Usage(1, 2, 3, 4, 5).plus(new Usage(10, 20, 30, 40, 50)))
                .isEqualTo(new Usage(11, 22, 33, 44, 55));
        assertThat(new Usage(1, 2, 0, 0, 0).totalTokens()).isEqualTo(3);
    }
}
