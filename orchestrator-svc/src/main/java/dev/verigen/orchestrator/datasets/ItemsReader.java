package dev.verigen.orchestrator.datasets;

import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.contracts.suites.TaskKind;
import dev.verigen.orchestrator.web.JsonFields;
import dev.verigen.orchestrator.web.NulCharacters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dataset items from a JSON array or from JSONL text ({@code {id, prompt, reference, task}} per line), every
 * problem reported with its place: {@code dataset.items[3].prompt}, {@code dataset.jsonl[line 4]}.
 */
public final class ItemsReader {

    public static final int MAX_ID = 128;
    private static final Set<String> FIELDS = Set.of("id", "prompt", "reference", "task", "visible");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final int maxItems;
    private final int maxPromptChars;

    public ItemsReader(int maxItems, int maxPromptChars) {
        this.maxItems = maxItems;
        this.maxPromptChars = maxPromptChars;
    }

    public List<SuiteItem> fromArray(JsonNode array, String path, JsonFields f) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            f.reject(path, "must be a non-empty array of {id, prompt, reference, task} objects");
            return List.of();
        }
        if (array.size() > maxItems) {
            f.reject(path, "must hold at most " + maxItems + " items");
            return List.of();
        }
        List<SuiteItem> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            item(array.get(i), path + "[" + i + "]", i, ids, f, items);
        }
        return items;
    }

    public List<SuiteItem> fromJsonl(String text, String path, JsonFields f) {
        List<String> lines = Arrays.stream(text.split("\r?\n", -1)).toList();
        List<SuiteItem> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int count = 0;
        for (int line = 0; line < lines.size(); line++) {
            String raw = lines.get(line).strip();
            if (raw.isEmpty()) {
                continue;
            }
            String where = path + "[line " + (line + 1) + "]";
            if (++count > maxItems) {
                f.reject(path, "must hold at most " + maxItems + " items");
                return List.of();
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(raw);
            } catch (JacksonException e) {
                f.reject(where, "is not a JSON object");
                continue;
            }
            var nul = NulCharacters.find(node, where);
            if (nul.isPresent()) {
                f.reject(nul.get(), NulCharacters.MESSAGE);
                continue;
            }
            item(node, where, count - 1, ids, f, items);
        }
        if (count == 0) {
            f.reject(path, "holds no items");
        }
        return items;
    }

    private void item(JsonNode node, String path, int index, Set<String> ids, JsonFields f, List<SuiteItem> out) {
        if (node == null || !node.isObject()) {
            f.reject(path, "must be an object {id, prompt, reference, task}");
            return;
        }
        int before = f.errors().size();
        f.onlyKnown(node, path, FIELDS);
        String id = f.text(node, "id", path + ".id", false, MAX_ID);
        if (id == null && (!node.has("id") || node.get("id").isNull())) {
            id = Integer.toString(index);
        }
        String prompt = f.text(node, "prompt", path + ".prompt", true, maxPromptChars);
        String reference = f.text(node, "reference", path + ".reference", false, maxPromptChars);
        String visible = f.text(node, "visible", path + ".visible", false, maxPromptChars);
        String task = f.text(node, "task", path + ".task", false, 32);
        if (task != null && TaskKind.parse(task).isEmpty()) {
            f.reject(path + ".task", "unknown task '" + task + "'; known: numeric, text2sql, code");
        }
        if (id != null && id.isBlank()) {
            f.reject(path + ".id", "must not be blank");
        } else if (id != null && !ids.add(id)) {
            f.reject(path + ".id", "duplicate id '" + id + "'");
        }
        if (f.errors().size() == before) {
            String kind = task == null ? TaskKind.NUMERIC.wireName() : TaskKind.parse(task).orElseThrow().wireName();
            out.add(new SuiteItem(id, prompt, reference, kind, visible));
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
