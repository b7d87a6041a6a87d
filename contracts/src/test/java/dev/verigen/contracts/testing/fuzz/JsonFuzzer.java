package dev.verigen.contracts.testing.fuzz;

import static dev.verigen.contracts.testing.fuzz.MalformedBodies.concat;
import static dev.verigen.contracts.testing.fuzz.MalformedBodies.printable;
import static dev.verigen.contracts.testing.fuzz.MalformedBodies.utf8;

import dev.verigen.contracts.testing.fuzz.JsonTree.Arr;
import dev.verigen.contracts.testing.fuzz.JsonTree.Leaf;
import dev.verigen.contracts.testing.fuzz.JsonTree.Member;
import dev.verigen.contracts.testing.fuzz.JsonTree.Obj;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seeded mutations of a valid example JSON body: everything a client (or an attacker) could send instead of it,
 * path by path. The same example and seed give the same cases, byte for byte, in the same order; the seed only
 * picks truncation points, random bytes and {@link #sample samples}.
 *
 * <pre>{@code
 * for (FuzzCase c : JsonFuzzer.of(validRunJson, 42).sample(400)) {
 *     HttpResponse<String> r = post("/v1/runs", c.body());
 *     assertThat(r.statusCode()).as(c.toString()).isLessThan(500);
 * }
 * }</pre>
 */
public final class JsonFuzzer {

    public static final int ONE_MIB = 1 << 20;
    public static final int NESTING = 10_000;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final List<String> OTHER_TYPES = List.of("\"x\"", "1", "-1.5", "true", "{}", "[]", "[\"x\"]",
            "{\"a\":1}");

    private final JsonTree example;
    private final byte[] exampleBytes;
    private final long seed;
    private final List<List<Object>> paths;
    private final List<FuzzCase> out = new ArrayList<>();

    private JsonFuzzer(JsonTree example, long seed) {
        this.example = example;
        this.exampleBytes = JsonTree.write(example);
        this.seed = seed;
        this.paths = JsonTree.paths(example);
    }

    /** @param exampleJson a body the API accepts; its every path is mutated */
    public static JsonFuzzer of(String exampleJson, long seed) {
        return new JsonFuzzer(JsonTree.of(MAPPER.readTree(exampleJson)), seed);
    }

    /** The example as this fuzzer writes it (compact). */
    public byte[] example() {
        return exampleBytes.clone();
    }

    /** Every case, grouped by kind, in a fixed order. */
    public synchronized List<FuzzCase> cases() {
        out.clear();
        Random random = new Random(seed);
        out.addAll(MalformedBodies.of(exampleBytes, random));
        wrongTypes();
        numbers();
        nesting();
        longStrings();
        largeArrays();
        oversized();
        encodings();
        injections();
        duplicatesAndUnknown();
        nullsEmptyMissing();
        return List.copyOf(out);
    }

    /**
     * At most {@code max} cases, every kind represented while {@code max} allows, chosen by the seed and returned in
     * {@link #cases()} order.
     */
    public List<FuzzCase> sample(int max) {
        List<FuzzCase> all = cases();
        Map<FuzzKind, List<Integer>> byKind = new EnumMap<>(FuzzKind.class);
        for (int i = 0; i < all.size(); i++) {
            byKind.computeIfAbsent(all.get(i).kind(), k -> new ArrayList<>()).add(i);
        }
        Random random = new Random(seed ^ 0x5DEECE66DL);
        byKind.values().forEach(list -> Collections.shuffle(list, random));
        TreeSet<Integer> chosen = new TreeSet<>();
        for (int round = 0; chosen.size() < Math.min(max, all.size()); round++) {
            for (List<Integer> list : byKind.values()) {
                if (round < list.size() && chosen.size() < max) {
                    chosen.add(list.get(round));
                }
            }
        }
        return chosen.stream().map(all::get).toList();
    }

    private void wrongTypes() {
        for (List<Object> path : paths) {
            JsonTree node = JsonTree.at(example, path);
            for (String other : OTHER_TYPES) {
                if (!sameType(node, other)) {
                    add(FuzzKind.WRONG_TYPE, "wrong type at " + JsonTree.describe(path) + ": " + other,
                            JsonTree.replace(example, path, JsonTree.raw(other)));
                }
            }
        }
    }

    private void numbers() {
        for (List<Object> path : leaves(Leaf.Type.NUMBER)) {
            for (String number : FuzzValues.NUMBERS) {
                add(FuzzKind.EXTREME_NUMBER, "number at " + JsonTree.describe(path) + ": " + shorten(number),
                        JsonTree.replace(example, path, JsonTree.raw(number)));
            }
        }
    }

    private void nesting() {
        add(FuzzKind.DEEP_NESTING, NESTING + " nested arrays", utf8("[".repeat(NESTING) + "]".repeat(NESTING)));
        add(FuzzKind.DEEP_NESTING, NESTING + " nested objects",
                utf8("{\"a\":".repeat(NESTING) + "1" + "}".repeat(NESTING)));
        add(FuzzKind.DEEP_NESTING, NESTING + " unclosed arrays", utf8("[".repeat(NESTING)));
        for (List<Object> path : paths) {
            if (path.size() == 1) {
                add(FuzzKind.DEEP_NESTING, NESTING + " nested arrays at " + JsonTree.describe(path),
                        JsonTree.replace(example, path, JsonTree.raw("[".repeat(NESTING) + "]".repeat(NESTING))));
                add(FuzzKind.DEEP_NESTING, NESTING + " nested objects at " + JsonTree.describe(path),
                        JsonTree.replace(example, path, JsonTree.raw("{\"a\":".repeat(NESTING) + "{}"
                                + "}".repeat(NESTING))));
            }
        }
    }

    private void longStrings() {
        for (List<Object> path : leaves(Leaf.Type.STRING)) {
            add(FuzzKind.LONG_STRING, "10,000 chars at " + JsonTree.describe(path),
                    JsonTree.replace(example, path, JsonTree.string("x".repeat(10_000))));
            add(FuzzKind.LONG_STRING, "100,000 two-byte chars at " + JsonTree.describe(path),
                    JsonTree.replace(example, path, JsonTree.string("\u00e9".repeat(100_000))));
            add(FuzzKind.LONG_STRING, "300,000 chars at " + JsonTree.describe(path),
                    JsonTree.replace(example, path, JsonTree.string("a".repeat(300_000))));
        }
        if (example instanceof Obj) {
            add(FuzzKind.LONG_STRING, "100,000-char key", JsonTree.addMember(example, List.of(),
                    new Member("k".repeat(100_000), JsonTree.raw("1")), false));
        }
    }

    private void largeArrays() {
        for (List<Object> path : paths) {
            if (JsonTree.at(example, path) instanceof Arr a) {
                String one = a.items().isEmpty() ? "\"x\"" : new String(JsonTree.write(a.items().getFirst()),
                        StandardCharsets.UTF_8);
                add(FuzzKind.LARGE_ARRAY, "100,000 numbers at " + JsonTree.describe(path),
                        JsonTree.replace(example, path, JsonTree.raw("[" + "1,".repeat(99_999) + "1]")));
                add(FuzzKind.LARGE_ARRAY, "10,000 copies of the first element at " + JsonTree.describe(path),
                        JsonTree.replace(example, path, JsonTree.raw("[" + (one + ",").repeat(9_999) + one + "]")));
            }
        }
    }

    private void oversized() {
        String padding = "a".repeat(ONE_MIB + 1024);
        // the longest string is most likely the payload (a prompt, a candidate) rather than a name
        var longest = leaves(Leaf.Type.STRING).stream()
                .max(java.util.Comparator.comparingInt(p -> ((Leaf) JsonTree.at(example, p)).bytes().length));
        if (longest.isPresent()) {
            add(FuzzKind.OVERSIZED, "1 MiB + 1 KiB string at " + JsonTree.describe(longest.get()),
                    JsonTree.replace(example, longest.get(), JsonTree.string(padding)));
        } else if (example instanceof Obj) {
            add(FuzzKind.OVERSIZED, "1 MiB + 1 KiB unknown field", JsonTree.addMember(example, List.of(),
                    new Member("padding", JsonTree.string(padding)), false));
        }
        add(FuzzKind.OVERSIZED, "the example followed by 1 MiB + 1 KiB of spaces",
                concat(exampleBytes, utf8(" ".repeat(ONE_MIB + 1024))));
    }

    private void encodings() {
        for (List<Object> path : leaves(Leaf.Type.STRING)) {
            String where = JsonTree.describe(path);
            for (FuzzValues.InvalidUtf8 bad : FuzzValues.INVALID_UTF8) {
                add(FuzzKind.INVALID_UTF8, bad.name() + " in " + where,
                        JsonTree.replace(example, path, JsonTree.rawString("a", bad.bytes(), "b")));
            }
            for (String surrogate : FuzzValues.LONE_SURROGATES) {
                add(FuzzKind.LONE_SURROGATE, surrogate + " at " + where,
                        JsonTree.replace(example, path, JsonTree.raw(surrogate)));
            }
            for (String control : FuzzValues.ESCAPED_CONTROLS) {
                add(FuzzKind.CONTROL_CHARS, control + " at " + where,
                        JsonTree.replace(example, path, JsonTree.raw(control)));
            }
            for (FuzzValues.InvalidUtf8 raw : FuzzValues.RAW_CONTROLS) {
                add(FuzzKind.CONTROL_CHARS, raw.name() + " in " + where,
                        JsonTree.replace(example, path, JsonTree.rawString("a", raw.bytes(), "b")));
            }
        }
        if (example instanceof Obj) {
            add(FuzzKind.INVALID_UTF8, "0xff in a key", JsonTree.addMember(example, List.of(),
                    new Member("k", concat(utf8("\"k"), new byte[] {(byte) 0xFF, '"'}), JsonTree.raw("1")),
                    false));
            add(FuzzKind.LONE_SURROGATE, "lone surrogate key", JsonTree.addMember(example, List.of(),
                    new Member("\ud800", utf8("\"\\ud800\""), JsonTree.raw("1")), false));
            add(FuzzKind.CONTROL_CHARS, "NUL key", JsonTree.addMember(example, List.of(),
                    new Member("\u0000", utf8("\"\\u0000\""), JsonTree.raw("1")), false));
        }
    }

    private void injections() {
        for (List<Object> path : leaves(Leaf.Type.STRING)) {
            for (String payload : FuzzValues.INJECTIONS) {
                add(FuzzKind.INJECTION, printable(payload) + " at " + JsonTree.describe(path),
                        JsonTree.replace(example, path, JsonTree.string(payload)));
            }
        }
    }

    private void duplicatesAndUnknown() {
        for (List<Object> path : paths) {
            if (!(JsonTree.at(example, path) instanceof Obj o)) {
                continue;
            }
            String where = JsonTree.describe(path);
            if (!o.members().isEmpty()) {
                Member first = o.members().getFirst();
                add(FuzzKind.DUPLICATE_KEY, "\"" + first.key() + "\" twice in " + where + ", first \"dup\"",
                        JsonTree.addMember(example, path, new Member(first.key(), JsonTree.string("dup")), true));
                add(FuzzKind.DUPLICATE_KEY, "\"" + first.key() + "\" twice in " + where + ", same value",
                        JsonTree.addMember(example, path, first, false));
            }
            add(FuzzKind.UNKNOWN_FIELD, "unknownField in " + where,
                    JsonTree.addMember(example, path, new Member("unknownField", JsonTree.raw("1")), false));
            add(FuzzKind.UNKNOWN_FIELD, "__proto__ in " + where, JsonTree.addMember(example, path,
                    new Member("__proto__", JsonTree.raw("{\"polluted\":true}")), false));
        }
        if (example instanceof Obj) {
            add(FuzzKind.UNKNOWN_FIELD, "constructor.prototype", JsonTree.addMember(example, List.of(),
                    new Member("constructor", JsonTree.raw("{\"prototype\":{\"polluted\":true}}")), false));
            for (String payload : FuzzValues.INJECTIONS.subList(0, 4)) {
                add(FuzzKind.UNKNOWN_FIELD, "key " + printable(payload),
                        JsonTree.addMember(example, List.of(), new Member(payload, JsonTree.raw("1")), false));
            }
        }
    }

    private void nullsEmptyMissing() {
        for (List<Object> path : paths) {
            String where = JsonTree.describe(path);
            add(FuzzKind.NULL_VALUE, "null at " + where, JsonTree.replace(example, path, JsonTree.raw("null")));
            for (String empty : List.of("{}", "[]", "\"\"")) {
                add(FuzzKind.EMPTY, empty + " at " + where, JsonTree.replace(example, path, JsonTree.raw(empty)));
            }
            if (!path.isEmpty() && (path.getLast() instanceof String || Integer.valueOf(0).equals(path.getLast()))) {
                add(FuzzKind.MISSING_FIELD, "without " + where, JsonTree.edit(example, path, old -> null));
            }
        }
        add(FuzzKind.NULL_VALUE, "every leaf null", JsonTree.mapLeaves(example, JsonTree.raw("null")));
    }

    private List<List<Object>> leaves(Leaf.Type type) {
        return paths.stream().filter(p -> JsonTree.at(example, p) instanceof Leaf l && l.type() == type).toList();
    }

    private static boolean sameType(JsonTree node, String json) {
        char c = json.charAt(0);
        return switch (node) {
            case Obj o -> c == '{';
            case Arr a -> c == '[';
            case Leaf l -> switch (l.type()) {
                case STRING -> c == '"';
                case NUMBER -> c == '-' || Character.isDigit(c);
                case BOOLEAN -> c == 't' || c == 'f';
                case NULL, RAW -> c == 'n';
            };
        };
    }

    private void add(FuzzKind kind, String description, JsonTree tree) {
        add(kind, description, JsonTree.write(tree));
    }

    private void add(FuzzKind kind, String description, byte[] body) {
        out.add(new FuzzCase(kind, description, body));
    }

    private static String shorten(String s) {
        return s.length() <= 24 ? s : s.substring(0, 12) + "...(" + s.length() + " chars)";
    }
}
