package dev.verigen.gateway.limits;

import dev.verigen.gateway.config.GatewayProperties;
import dev.verigen.gateway.errors.GatewayProblemException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Rejects request bodies over {@code verigen.gateway.max-request-body-size} with 413: at once when
 * Content-Length says so, and while streaming for chunked bodies that grow past the limit.
 */
@Component
public class RequestBodyLimitFilter implements WebFilter, Ordered {

    private final long maxBytes;

    public RequestBodyLimitFilter(GatewayProperties properties) {
        this.maxBytes = properties.maxRequestBodySize().toBytes();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        long declared = request.getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(tooLarge());
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                        org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
                        sink.error(tooLarge());
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    private GatewayProblemException tooLarge() {
        return new GatewayProblemException(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Content Too Large",
                "The request body is larger than the limit of " + maxBytes + " bytes.");
    }
}
