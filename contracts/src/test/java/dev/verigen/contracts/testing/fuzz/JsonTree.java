package dev.verigen.contracts.testing.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * A JSON document as the fuzzer edits it: unlike a parsed tree it can hold the same key twice and leaves that are
 * arbitrary bytes (invalid UTF-8, raw control characters, numbers no parser would keep), and it writes exactly those
 * bytes back.
 */
sealed interface JsonTree {

    /** An object member; {@code key} is written as a JSON string unless {@code rawKey} is given. */
    record Member(String key, byte[] rawKey, JsonTree value) {
        Member(String key, JsonTree value) {
            this(key, null, value);
        }
    }

    record Obj(List<Member> members) implements JsonTree {
    }

    record Arr(List<JsonTree> items) implements JsonTree {
    }

    /** A scalar (or anything else) written verbatim. */
    record Leaf(Type type, byte[] bytes) implements JsonTree {
        enum Type { STRING, NUMBER, BOOLEAN, NULL, RAW }
    }

    static Leaf string(String s) {
        return new Leaf(Leaf.Type.STRING, quote(s));
    }

    /** A JSON text fragment taken as it is, e.g. {@code 1e400} or {@code "\ud800"}. */
    static Leaf raw(String json) {
        return new Leaf(Leaf.Type.RAW, json.getBytes(StandardCharsets.UTF_8));
    }

    static Leaf raw(byte[] bytes) {
        return new Leaf(Leaf.Type.RAW, bytes);
    }

    /** A string literal with {@code inner} between {@code prefix} and {@code suffix}, none of it escaped. */
    static Leaf rawString(String prefix, byte[] inner, String suffix) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(("\"" + prefix).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(inner);
        out.writeBytes((suffix + "\"").getBytes(StandardCharsets.UTF_8));
        return raw(out.toByteArray());
    }

    static JsonTree of(JsonNode node) {
        if (node.isObject()) {
            List<Member> members = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                members.add(new Member(e.getKey(), of(e.getValue())));
            }
            return new Obj(members);
        }
        if (node.isArray()) {
            List<JsonTree> items = new ArrayList<>();
            node.values().forEach(v -> items.add(of(v)));
            return new Arr(items);
        }
        if (node.isString()) {
            return string(node.stringValue());
        }
        Leaf.Type type = node.isNumber() ? Leaf.Type.NUMBER : node.isBoolean() ? Leaf.Type.BOOLEAN : Leaf.Type.NULL;
        return new Leaf(type, node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Every path in document order, the root ({@code []}) first; a path is a list of keys and array indexes. */
    static List<List<Object>> paths(JsonTree tree) {
        List<List<Object>> out = new ArrayList<>();
        collect(tree, new ArrayList<>(), out);
        return out;
    }

    private static void collect(JsonTree tree, List<Object> path, List<List<Object>> out) {
        out.add(List.copyOf(path));
        if (tree instanceof Obj o) {
            for (Member m : o.members()) {
                path.add(m.key());
                collect(m.value(), path, out);
                path.removeLast();
            }
        } else if (tree instanceof Arr a) {
            for (int i = 0; i < a.items().size(); i++) {
                path.add(i);
                collect(a.items().get(i), path, out);
                path.removeLast();
            }
        }
    }

    static JsonTree at(JsonTree tree, List<Object> path) {
        JsonTree node = tree;
        for (Object step : path) {
            node = switch (node) {
                case Obj o -> o.members().stream().filter(m -> m.key().equals(step)).findFirst().orElseThrow().value();
                case Arr a -> a.items().get((Integer) step);
                case Leaf l -> throw new IllegalArgumentException("no " + step + " under a leaf");
            };
        }
        return node;
    }

    /** A copy with the node at {@code path} replaced by {@code edit}'s answer; a null answer removes it. */
    static JsonTree edit(JsonTree tree, List<Object> path, UnaryOperator<JsonTree> edit) {
        if (path.isEmpty()) {
            return edit.apply(tree);
        }
        Object step = path.getFirst();
        List<Object> rest = path.subList(1, path.size());
        if (tree instanceof Obj o) {
            List<Member> members = new ArrayList<>();
            boolean done = false;
            for (Member m : o.members()) {
                if (!done && m.key().equals(step)) {
                    done = true;
                    JsonTree value = edit(m.value(), rest, edit);
                    if (value != null) {
                        members.add(new Member(m.key(), m.rawKey(), value));
                    }
                } else {
                    members.add(m);
                }
            }
            return new Obj(members);
        }
        if (tree instanceof Arr a) {
            List<JsonTree> items = new ArrayList<>(a.items());
            int i = (Integer) step;
            JsonTree value = edit(items.get(i), rest, edit);
            if (value == null) {
                items.remove(i);
            } else {
                items.set(i, value);
            }
            return new Arr(items);
        }
        throw new IllegalArgumentException("no " + step + " under a leaf");
    }

    static JsonTree replace(JsonTree tree, List<Object> path, JsonTree value) {
        return edit(tree, path, old -> value);
    }

    /** The object at {@code path} with {@code member} added first (so it precedes any same-named one) or last. */
    static JsonTree addMember(JsonTree tree, List<Object> path, Member member, boolean first) {
        return edit(tree, path, node -> {
            List<Member> members = new ArrayList<>(((Obj) node).members());
            if (first) {
                members.addFirst(member);
            } else {
                members.add(member);
            }
            return new Obj(members);
        });
    }

    /** Every leaf (not containers) set to {@code value}. */
    static JsonTree mapLeaves(JsonTree tree, JsonTree value) {
        return switch (tree) {
            case Obj o -> new Obj(o.members().stream()
                    .map(m -> new Member(m.key(), m.rawKey(), mapLeaves(m.value(), value))).toList());
            case Arr a -> new Arr(a.items().stream().map(i -> mapLeaves(i, value)).toList());
            case Leaf l -> value;
        };
    }

    static byte[] write(JsonTree tree) {
        var out = new ByteArrayOutputStream();
        write(tree, out);
        return out.toByteArray();
    }

    private static void write(JsonTree tree, ByteArrayOutputStream out) {
        switch (tree) {
            case Leaf l -> out.writeBytes(l.bytes());
            case Arr a -> {
                out.write('[');
                for (int i = 0; i < a.items().size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    write(a.items().get(i), out);
                }
                out.write(']');
            }
            case Obj o -> {
                out.write('{');
                for (int i = 0; i < o.members().size(); i++) {
                    Member m = o.members().get(i);
                    if (i > 0) {
                        out.write(',');
                    }
                    out.writeBytes(m.rawKey() != null ? m.rawKey() : quote(m.key()));
                    out.write(':');
                    write(m.value(), out);
                }
                out.write('}');
            }
        }
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped, the rest as UTF-8. */
    static byte[] quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !paired(s, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean paired(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** {@code $.pipeline.stop[0]}. */
    static String describe(List<Object> path) {
        StringBuilder b = new StringBuilder("$");
        for (Object step : path) {
            b.append(step instanceof Integer i ? "[" + i + "]" : "." + step);
        }
        return b.toString();
    }
}
