package dev.verigen.gateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A whole gateway application on a random port, for tests that need several or start one against a broken DB. */
final class GatewayInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;

    private GatewayInstance(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    static GatewayInstance start(Map<String, ?> properties) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=0");
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        return new GatewayInstance(new SpringApplicationBuilder(GatewayApplication.class)
                .run(args.toArray(String[]::new)));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    @Override
    public void close() {
        context.close();
    }
}
