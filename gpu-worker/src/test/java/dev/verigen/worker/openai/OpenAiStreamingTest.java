package dev.verigen.worker.openai;

import static dev.verigen.worker.openai.OpenAiFixtures.PROMPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.worker.engine.EngineControl;
import dev.verigen.worker.engine.EngineOutput;
import dev.verigen.worker.openai.FakeOpenAiServer.Reply;
import dev.verigen.worker.openai.OpenAiProperties.Endpoint;
import dev.verigen.worker.openai.OpenAiProperties.NSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The openai backend's streamed requests: assembled as a plain reply, reporting progress, and stopped by a cancel. */
class OpenAiStreamingTest {

    private final FakeOpenAiServer server;

    OpenAiStreamingTest() throws Exception {
        server = new FakeOpenAiServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiBackend backend() {
        return new OpenAiBackend(OpenAiFixtures.config(server, Endpoint.CHAT, NSupport.NATIVE, Duration.ofSeconds(5),
                OpenAiProperties.Stream.ALWAYS), java.net.http.HttpClient.newHttpClient());
    }

    private static EngineRequest request(int n, int progressTokens) {
        var sampling = new SamplingParams(0.7, 0.95, 256, 42L, List.of(), false);
        return new EngineRequest(OpenAiFixtures.meta(), "qwen-math", PROMPT, "What is 17 + 25?", sampling, n, null,
                List.of(), progressTokens);
    }

    private static String delta(int index, String content) {
        return "{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":" + index
                + ",\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
    }

    private static String finish(int index, String reason) {
        return "{\"choices\":[{\"index\":" + index + ",\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}";
    }

    private static String usage(int prompt, int completion) {
        return "{\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + "}}";
    }

    private static final class Watch implements EngineControl {
        final List<String> reported = new CopyOnWriteArrayList<>();
        final int cancelAfter;
        volatile boolean cancelled;

        Watch(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        @Override
        public void progress(int sample, String text, long tokens) {
            reported.add(sample + ":" + tokens + ":" + text);
            if (cancelAfter > 0 && reported.size() >= cancelAfter) {
                cancelled = true;
            }
        }
    }

    @Test
    void aStreamedReplyAssemblesAsAPlainOneWould() {
        server.replying(r -> Reply.events(List.of(delta(0, "Answer: "), delta(1, "Answer: "), delta(0, "42"),
                delta(1, "41"), finish(0, "stop"), finish(1, "length"), usage(30, 7), "[DONE]"), 0));

        EngineOutput out = backend().generate(request(2, 0));

        assertThat(out.cancelled()).isFalse();
        assertThat(out.samples()).extracting(Sample::text).containsExactly("Answer: 42", "Answer: 41");
        assertThat(out.samples()).extracting(Sample::finishReason).containsExactly("stop", "length");
        assertThat(out.usage().promptTokens()).isEqualTo(30);
        assertThat(out.usage().completionTokens()).isEqualTo(7);
        var body = server.requests().getFirst().body();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void aStreamedReplyTellsTimeToFirstTokenAndInterTokenLatencyAPlainOneCannot() {
        // one chunk every 40 ms: the first token 40 ms after the request, then one every 40 ms
        List<String> events = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            events.add(delta(0, "t" + i + " "));
        }
        events.addAll(List.of(finish(0, "stop"), usage(30, 6), "[DONE]"));
        server.replying(r -> Reply.events(events, 40));

        EngineOutput out = backend().generate(request(1, 0));

        assertThat(out.timing()).isNotNull();
        assertThat(out.timing().timeToFirstTokenMs()).isGreaterThanOrEqualTo(35).isLessThan(out.usage().engineMs());
        // five gaps of about 40 ms over the five tokens after the first (the client's buffering may hand two chunks
        // over at once, so only a lower bound well below it is certain)
        assertThat(out.timing().interTokenMs()).isGreaterThan(10);
        assertThat(out.timing().timeToFirstTokenMs() + 5 * out.timing().interTokenMs())
                .isLessThanOrEqualTo(out.usage().engineMs() + 1.0);

        var plain = new OpenAiBackend(OpenAiFixtures.config(server, Endpoint.CHAT, NSupport.NATIVE,
                Duration.ofSeconds(5), OpenAiProperties.Stream.NEVER), java.net.http.HttpClient.newHttpClient());
        server.replying(r -> Reply.ok("""
                {"choices": [{"index": 0, "message": {"content": "42"}, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 30, "completion_tokens": 1}}"""));
        assertThat(plain.generate(request(1, 0)).timing()).as("a plain reply's first token is not seen").isNull();
    }

    @Test
    void samplesReportTheirTextSoFarEveryKTokens() {
        List<String> events = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            events.add(delta(0, "w" + i + " "));
        }
        events.addAll(List.of(finish(0, "stop"), usage(30, 10), "[DONE]"));
        server.replying(r -> Reply.events(events, 0));
        Watch watch = new Watch(0);

        EngineOutput out = backend().generate(request(1, 4), watch);

        assertThat(watch.reported).containsExactly("0:4:w1 w2 w3 w4 ", "0:8:w1 w2 w3 w4 w5 w6 w7 w8 ");
        assertThat(out.samples().getFirst().text()).isEqualTo("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 ");
    }

    @Test
    void aCancelClosesTheStreamAndBillsOnlyWhatCame() {
        List<String> events = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            events.add(delta(0, "t" + i + " "));
        }
        events.addAll(List.of(finish(0, "stop"), usage(30, 200), "[DONE]"));
        server.replying(r -> Reply.events(events, 10));
        Watch watch = new Watch(1);

        EngineOutput out = backend().generate(request(1, 5), watch);

        assertThat(out.cancelled()).isTrue();
        Sample cut = out.samples().getFirst();
        assertThat(cut.finishReason()).isEqualTo("cancelled");
        assertThat(cut.text()).startsWith("t1 t2 t3 t4 t5 ");
        assertThat(out.usage().completionTokens()).isBetween(5L, 7L);
        // no usage chunk came: the prompt is estimated at four characters a token
        assertThat(out.usage().promptTokens()).isEqualTo((PROMPT.length() + 3) / 4);
        // the server saw the client hang up long before its 200 chunks were out
        await().atMost(Duration.ofSeconds(5)).until(() -> server.hangUps() == 1);
        assertThat(server.eventsSent()).isLessThan(60);
    }
}
