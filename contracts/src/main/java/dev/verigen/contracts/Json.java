package dev.verigen.contracts;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON form of every message. Services exchange raw bytes on Kafka and use this codec at both ends,
 * so the wire format does not depend on any framework's message conversion.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            // newer producers may add fields, older ones may lack a flag: both must still decode
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {
    }

    public static byte[] write(Object message) {
        return MAPPER.writeValueAsBytes(message);
    }

    public static String writeString(Object message) {
        return MAPPER.writeValueAsString(message);
    }

    /**
     * @throws MalformedMessageException when the bytes are not a valid message of that type
     */
    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedMessageException(type.getSimpleName() + ": " + rootMessage(e), e);
        }
    }

    /** The same data as another type, e.g. a stored map as the record it was written from. */
    public static <T> T convert(Object value, Class<T> type) {
        try {
            return MAPPER.convertValue(value, type);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new MalformedMessageException(type.getSimpleName() + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** A message that cannot be decoded; consumers log and skip it instead of retrying forever. */
    public static final class MalformedMessageException extends RuntimeException {
        public MalformedMessageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
