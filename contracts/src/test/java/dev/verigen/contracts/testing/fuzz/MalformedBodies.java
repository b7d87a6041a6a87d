package dev.verigen.contracts.testing.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/** Bodies that are not JSON (or not the JSON expected): cut short, with garbage after, unbalanced, random. */
final class MalformedBodies {

    private MalformedBodies() {
    }

    static List<FuzzCase> of(byte[] exampleBytes, Random random) {
        List<FuzzCase> out = new ArrayList<>();
        add(out, "empty body", new byte[0]);
        add(out, "whitespace only", " \n\t ".getBytes(StandardCharsets.UTF_8));
        TreeSet<Integer> cuts = new TreeSet<>(List.of(1, exampleBytes.length / 4, exampleBytes.length / 2,
                exampleBytes.length - 1));
        for (int i = 0; i < 3; i++) {
            cuts.add(1 + random.nextInt(Math.max(1, exampleBytes.length - 1)));
        }
        for (int cut : cuts) {
            if (cut > 0 && cut < exampleBytes.length) {
                add(out, "truncated at byte " + cut, Arrays.copyOf(exampleBytes, cut));
            }
        }
        for (String garbage : List.of("}", "x", "{}", ",", "]", " // comment", "\u0000")) {
            add(out, "trailing " + printable(garbage), concat(exampleBytes, utf8(garbage)));
        }
        add(out, "extra opening brace", concat(utf8("{"), exampleBytes));
        add(out, "extra opening bracket", concat(utf8("["), exampleBytes));
        add(out, "wrong closing bracket",
                concat(Arrays.copyOf(exampleBytes, exampleBytes.length - 1), utf8("]")));
        for (String text : List.of("{\"a\":", "[[[", "]]]", "{{}}", "{\"a\" 1}", "{'a': 1}", "{a: 1}",
                "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":1,}", "[1,]", "/* c */ {}",
                "\"unterminated")) {
            add(out, "not JSON: " + text, utf8(text));
        }
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        add(out, "byte order mark first", concat(bom, exampleBytes));
        add(out, "UTF-16 encoded", new String(exampleBytes, StandardCharsets.UTF_8)
                .getBytes(StandardCharsets.UTF_16LE));
        for (int i = 0; i < 3; i++) {
            byte[] bytes = new byte[1 + random.nextInt(64)];
            random.nextBytes(bytes);
            add(out, "random bytes #" + i, bytes);
        }
        return out;
    }

    private static void add(List<FuzzCase> out, String description, byte[] body) {
        out.add(new FuzzCase(FuzzKind.MALFORMED, description, body));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", c)
                : Character.toString(c)));
        return b.toString();
    }
}
