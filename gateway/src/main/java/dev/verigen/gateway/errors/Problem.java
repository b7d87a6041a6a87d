package dev.verigen.gateway.errors;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details as the gateway writes them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
}
