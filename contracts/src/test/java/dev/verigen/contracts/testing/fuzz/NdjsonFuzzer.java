package dev.verigen.contracts.testing.fuzz;

import static dev.verigen.contracts.testing.fuzz.MalformedBodies.concat;
import static dev.verigen.contracts.testing.fuzz.MalformedBodies.utf8;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mutations of a newline-delimited JSON body ({@code application/x-ndjson}): every {@link JsonFuzzer} case of one
 * line placed after a valid line, and what only line-oriented bodies have (CR or CRLF separators, blank lines, a
 * byte order mark, a line over 1 MiB, more lines than any sane limit).
 */
public final class NdjsonFuzzer {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private NdjsonFuzzer() {
    }

    /**
     * @param validLine a line the API accepts (a JSON object); when it has a string {@code id}, copies of it get
     *                  distinct ids so that only what a case changes is wrong
     * @param lineCases how many {@link JsonFuzzer} cases of the line to include ({@link JsonFuzzer#sample})
     */
    public static List<FuzzCase> cases(String validLine, long seed, int lineCases) {
        List<FuzzCase> out = new ArrayList<>();
        byte[] first = utf8(line(validLine, "line-a") + "\n");
        for (FuzzCase c : JsonFuzzer.of(validLine, seed).sample(lineCases)) {
            out.add(new FuzzCase(c.kind(), "line 2: " + c.description(), concat(first, c.body())));
        }
        String a = line(validLine, "line-a");
        String b = line(validLine, "line-b");
        add(out, FuzzKind.EMPTY, "empty body", "");
        add(out, FuzzKind.EMPTY, "blank lines only", "\n\n \r\n\t\n");
        add(out, FuzzKind.MALFORMED, "CRLF separators", a + "\r\n" + b + "\r\n");
        add(out, FuzzKind.MALFORMED, "CR-only separators", a + "\r" + b + "\r");
        add(out, FuzzKind.MALFORMED, "two objects on one line", a + " " + b);
        add(out, FuzzKind.MALFORMED, "a JSON array of the lines", "[" + a + "," + b + "]");
        add(out, FuzzKind.MALFORMED, "a line that is null", a + "\nnull\n");
        add(out, FuzzKind.MALFORMED, "a line that is a string", a + "\n\"x\"\n");
        add(out, FuzzKind.DUPLICATE_KEY, "the same line twice", a + "\n" + a + "\n");
        out.add(new FuzzCase(FuzzKind.MALFORMED, "byte order mark first",
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(a + "\n" + b))));
        out.add(new FuzzCase(FuzzKind.INVALID_UTF8, "a line of 0xff bytes",
                concat(utf8(a + "\n"), new byte[] {(byte) 0xFF, (byte) 0xFE, '\n'})));
        out.add(new FuzzCase(FuzzKind.CONTROL_CHARS, "a raw NUL line", concat(utf8(a + "\n"), new byte[] {0, '\n'})));
        add(out, FuzzKind.OVERSIZED, "a line over 1 MiB",
                a + "\n" + "{\"x\":\"" + "a".repeat(JsonFuzzer.ONE_MIB) + "\"}");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 10_001; i++) {
            many.append(line(validLine, "n" + i)).append('\n');
        }
        add(out, FuzzKind.LARGE_ARRAY, "10,001 lines", many.toString());
        return out;
    }

    private static String line(String validLine, String id) {
        var node = MAPPER.readTree(validLine);
        if (node instanceof ObjectNode object && object.has("id") && object.get("id").isString()) {
            object.put("id", id);
            return MAPPER.writeValueAsString(object);
        }
        return MAPPER.writeValueAsString(node);
    }

    private static void add(List<FuzzCase> out, FuzzKind kind, String description, String body) {
        out.add(new FuzzCase(kind, description, utf8(body)));
    }
}
