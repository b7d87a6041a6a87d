package dev.verigen.contracts.testing.fuzz;

/** What a fuzz case does to its request, so a report can say which family of input broke a service. */
public enum FuzzKind {
    /** Not JSON at all: truncated, trailing garbage, unbalanced brackets, random bytes, empty. */
    MALFORMED,
    /** A value of another JSON type at one path. */
    WRONG_TYPE,
    /** Numbers at the edges: 1e308, 2^63, 10^400, negatives, zero, tiny, with huge exponents or thousands of digits. */
    EXTREME_NUMBER,
    /** Arrays or objects nested 10,000 levels deep. */
    DEEP_NESTING,
    /** Strings of tens or hundreds of thousands of characters. */
    LONG_STRING,
    /** Arrays with 10,000 or 100,000 elements. */
    LARGE_ARRAY,
    /** Bodies over 1 MiB. */
    OVERSIZED,
    /** Byte sequences that are not UTF-8 inside a string. */
    INVALID_UTF8,
    /** JSON escapes of unpaired UTF-16 surrogates ({@code "\ud800"}). */
    LONE_SURROGATE,
    /** NUL and other control characters, escaped or (invalidly) raw. */
    CONTROL_CHARS,
    /** SQL, template, JNDI, HTML and path traversal payloads. */
    INJECTION,
    /** The same key twice in one object. */
    DUPLICATE_KEY,
    /** Fields the API does not define, some with hostile names. */
    UNKNOWN_FIELD,
    /** {@code null} at one path, at every leaf, or as the whole body. */
    NULL_VALUE,
    /** {@code {}}, {@code []} or {@code ""} in place of a value or the body. */
    EMPTY,
    /** One field left out. */
    MISSING_FIELD
}
