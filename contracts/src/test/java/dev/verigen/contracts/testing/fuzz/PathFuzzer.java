package dev.verigen.contracts.testing.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Hostile path segments, query values and header values. Segments and query values come percent-encoded where
 * they must be, so that {@code URI.create(base + segment)} accepts each of them and the server sees exactly what is
 * described: NUL ({@code %00}), encoded slashes, invalid UTF-8 ({@code %FF}), traversal, overlong strings.
 */
public final class PathFuzzer {

    /** @param encoded ready to append to a URI; {@code description} says what the server decodes it to */
    public record Value(String description, String encoded) {
    }

    private PathFuzzer() {
    }

    /** Ids and names for a path segment: seeded random UUIDs and many things that are not one. */
    public static List<Value> segments(long seed) {
        List<Value> out = new ArrayList<>();
        Random random = new Random(seed);
        for (int i = 0; i < 4; i++) {
            String uuid = new UUID(random.nextLong(), random.nextLong()).toString();
            out.add(new Value("random UUID " + uuid, uuid));
        }
        String uuid = new UUID(random.nextLong(), random.nextLong()).toString();
        out.add(new Value("nil UUID", "00000000-0000-0000-0000-000000000000"));
        out.add(new Value("max UUID", "ffffffff-ffff-ffff-ffff-ffffffffffff"));
        out.add(new Value("upper-case UUID", uuid.toUpperCase(java.util.Locale.ROOT)));
        out.add(new Value("UUID without dashes", uuid.replace("-", "")));
        out.add(new Value("UUID in braces", "%7B" + uuid + "%7D"));
        out.add(new Value("UUID with a trailing x", uuid + "x"));
        out.add(new Value("UUID cut short", uuid.substring(0, 30)));
        out.add(new Value("UUID with too many digits", "1" + uuid));
        out.add(new Value("UUID with a non-hex digit", "g" + uuid.substring(1)));
        for (String plain : List.of("1", "-1", "0", "9223372036854775808", "null", "undefined", "true", "default",
                "DEFAULT", "_", "-")) {
            out.add(new Value(plain, plain));
        }
        out.add(new Value("a space", "a%20b"));
        out.add(new Value("300 characters", "x".repeat(300)));
        out.add(new Value("5,000 characters", "y".repeat(5_000)));
        out.add(new Value("NUL", "%00"));
        out.add(new Value("NUL inside", "a%00b"));
        out.add(new Value("encoded slash", "a%2Fb"));
        out.add(new Value("encoded traversal", "..%2F..%2Fetc%2Fpasswd"));
        out.add(new Value("encoded dots", "%2e%2e"));
        out.add(new Value("double-encoded slash", "a%252Fb"));
        out.add(new Value("encoded backslash", "a%5Cb"));
        out.add(new Value("e-acute", "%C3%A9"));
        out.add(new Value("invalid UTF-8 0xff", "%FF"));
        out.add(new Value("overlong dot", "%C0%AE"));
        out.add(new Value("right-to-left override", "%E2%80%AE"));
        out.add(new Value("emoji", "%F0%9F%98%80"));
        out.add(new Value("matrix parameter", "x;jsessionid=1"));
        for (String payload : FuzzValues.INJECTIONS) {
            out.add(new Value("injection " + MalformedBodies.printable(payload), encode(payload)));
        }
        return out;
    }

    /** Values for a query parameter (appended after {@code name=}). */
    public static List<Value> queryValues(long seed) {
        List<Value> out = new ArrayList<>();
        for (Value segment : segments(seed)) {
            out.add(segment);
        }
        out.add(new Value("empty", ""));
        out.add(new Value("10,000 characters", "q".repeat(10_000)));
        out.add(new Value("encoded ampersand and equals", "a%26b%3Dc"));
        out.add(new Value("plus as space", "a+b"));
        return out;
    }

    /** Header values an HTTP client can send (no CR, LF or NUL; kept under common 8 KiB header limits). */
    public static List<String> headerValues(long seed) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(List.of("", " ", "abc", "-1", "0", " 42 ", "1e3", "0x10",
                "9223372036854775807", "9223372036854775808", "-9223372036854775809", "x".repeat(4_000),
                "' or 1=1 --", "${jndi:ldap://x/a}", "{{7*7}}", "<script>", "../../etc/passwd", "\tx"));
        out.add(Long.toString(random.nextLong()));
        out.add(new UUID(random.nextLong(), random.nextLong()).toString());
        return out;
    }

    /** Percent-encodes everything but unreserved characters (RFC 3986), as UTF-8. */
    public static String encode(String text) {
        StringBuilder b = new StringBuilder();
        for (byte raw : text.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }
}
