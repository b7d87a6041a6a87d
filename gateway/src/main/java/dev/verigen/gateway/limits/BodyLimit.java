package dev.verigen.gateway.limits;

import dev.verigen.gateway.errors.GatewayProblemException;
import dev.verigen.support.problems.ApiProblem;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Holds a request body to a number of bytes: refused at once when {@code Content-Length} declares more, and while
 * streaming when a chunked body grows past it (the bytes already passed on are lost to the upstream, which sees
 * its request aborted; the client gets 413).
 */
public final class BodyLimit {

    private BodyLimit() {
    }

    public static Mono<Void> apply(ServerWebExchange exchange, WebFilterChain chain, long maxBytes) {
        ServerHttpRequest request = exchange.getRequest();
        long declared = request.getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(tooLarge(maxBytes));
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
                        DataBufferUtils.release(buffer);
                        sink.error(tooLarge(maxBytes));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    static GatewayProblemException tooLarge(long maxBytes) {
        return new GatewayProblemException(ApiProblem.tooLarge(null,
                "The request body is larger than the limit of " + maxBytes + " bytes."));
    }
}
