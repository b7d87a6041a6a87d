package dev.verigen.orchestrator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.orchestrator.runs.CreateRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/openai.md's curl bodies are valid requests, and its preset table covers every preset. */
class DocumentedOpenAiExamplesTest {

    private static final Path DOC = Path.of("..").toAbsolutePath().normalize().resolve("docs/openai.md");
    private static final Pattern CURL_BODY = Pattern.compile("-d '(\\{.*?\\})'", Pattern.DOTALL);
    private static final Pattern BUDGET = Pattern.compile("-H 'X-Verigen-Budget: ([^']*)'");

    @Test
    void everyCurlExampleIsAValidChatCompletion() throws IOException {
        String doc = Files.readString(DOC);
        Matcher m = CURL_BODY.matcher(doc);
        Matcher budget = BUDGET.matcher(doc);
        assertThat(budget.find()).isTrue();
        int examples = 0;
        while (m.find()) {
            ChatRequest request = Fixtures.CHAT.parse(Fixtures.json(m.group(1)), examples == 0 ? budget.group(1) : null);
            var name = (ModelName.OfPreset) ModelName.parse(request.model(), Fixtures.PROPERTIES.pools(), 1024);
            ResolvedModel model = Fixtures.preset(name.preset().name(), name.pool());
            CreateRun run = Fixtures.PLANNER.plan(request, model, 1L);
            assertThat(run.input().prompt()).isNotBlank();
            examples++;
        }
        assertThat(examples).isEqualTo(2);
    }

    @Test
    void thePresetTableNamesEveryPreset() throws IOException {
        String doc = Files.readString(DOC);
        Arrays.stream(Preset.Kind.values()).forEach(kind -> assertThat(doc)
                .as(kind.prefix()).containsPattern("\\| `" + kind.prefix() + (kind.takesN() && kind != Preset.Kind.IAD ? "-N`" : "`")));
    }
}
