package dev.verigen.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** replyTo and scoring-mode continuations: round trips, and messages of older producers still decode. */
class ScoringModeContractsTest {

    private static final String REPLY = "verigen.rm.gen.results.abc123";

    @Test
    void newFieldsSurviveARoundTrip() {
        JobMeta meta = MessageFixtures.meta().withReplyTo(REPLY);
        var job = GenerationJob.scoring(meta, GenerationJob.Role.GENERATE, "arith-tiny", "1+1=", List.of("2", "3"));
        var request = new EngineRequest(meta, "arith-tiny", "Q: 1+1=", "1+1=", null, 2, null, List.of("2", "3"));
        for (Object message : List.of(meta, job, request)) {
            Object back = Json.read(Json.write(message), message.getClass());
            assertThat(back).isEqualTo(message);
        }
        GenerationJob back = Json.read(Json.write(job), GenerationJob.class);
        assertThat(back.meta().replyTo()).isEqualTo(REPLY);
        assertThat(back.continuations()).containsExactly("2", "3");
        assertThat(back.scoringMode()).isTrue();
        assertThat(back.n()).isEqualTo(2);
        assertThat(Json.writeString(job)).contains("\"replyTo\":\"" + REPLY + "\"", "\"continuations\":[\"2\",\"3\"]");
    }

    @Test
    void messagesOfOlderProducersDecodeWithDefaults() {
        String olderJob = Json.writeString(MessageFixtures.all().get(4))
                .replace(",\"replyTo\":null", "").replace(",\"continuations\":[]", "");
        assertThat(olderJob).doesNotContain("replyTo", "continuations");
        GenerationJob job = Json.read(olderJob.getBytes(StandardCharsets.UTF_8), GenerationJob.class);
        assertThat(job.meta().replyTo()).isNull();
        assertThat(job.meta().resultTopic(Topics.GENERATION_RESULTS)).isEqualTo(Topics.GENERATION_RESULTS);
        assertThat(job.continuations()).isEmpty();
        assertThat(job.scoringMode()).isFalse();

        String olderRequest = Json.writeString(MessageFixtures.all().get(7))
                .replace(",\"replyTo\":null", "").replace(",\"continuations\":[]", "");
        assertThat(olderRequest).doesNotContain("replyTo", "continuations");
        EngineRequest request = Json.read(olderRequest.getBytes(StandardCharsets.UTF_8), EngineRequest.class);
        assertThat(request.continuations()).isEmpty();
        assertThat(request.partial()).isEqualTo("Step 1: 6 * 7 = 42\n");
    }

    @Test
    void oldConstructorsKeepTheirMeaning() {
        var meta = MessageFixtures.meta();
        assertThat(meta.replyTo()).isNull();
        assertThat(new GenerationJob(meta, null, "p", "x", null, 2).continuations()).isEmpty();
        assertThat(new EngineRequest(meta, "p", "x", "x", null, 2).continuations()).isEmpty();
        assertThat(meta.withReplyTo(REPLY).resultTopic(Topics.GENERATION_RESULTS)).isEqualTo(REPLY);
        assertThat(meta.withReplyTo(" ").replyTo()).isNull();
    }

    @Test
    void replyTopicsAreRestrictedToVerigenTopics() {
        assertThat(Topics.isValidReplyTopic(REPLY)).isTrue();
        assertThat(Topics.isValidReplyTopic("__consumer_offsets")).isFalse();
        assertThat(Topics.isValidReplyTopic("other.results")).isFalse();
        assertThat(Topics.isValidReplyTopic("verigen.")).isFalse();
        assertThat(Topics.isValidReplyTopic("verigen.a/b")).isFalse();
        assertThatThrownBy(() -> MessageFixtures.meta().withReplyTo("payments.events"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verigen.");
        String json = Json.writeString(MessageFixtures.meta()).replace("\"replyTo\":null", "\"replyTo\":\"x.y\"");
        assertThatThrownBy(() -> Json.read(json.getBytes(StandardCharsets.UTF_8), JobMeta.class))
                .isInstanceOf(Json.MalformedMessageException.class);
    }
}
