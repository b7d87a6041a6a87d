package dev.verigen.gateway;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points a {@link GatewayTest}'s gateway at the test class's static {@link KeyDatabase} and drops that database
 * after every other bean is destroyed: the drop is registered as a disposable bean before the context refreshes, and
 * disposable beans are destroyed in the reverse order of registration.
 */
final class KeyDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        return new Customizer(keyDatabaseOf(testClass));
    }

    private static KeyDatabase keyDatabaseOf(Class<?> testClass) {
        for (Field field : testClass.getDeclaredFields()) {
            if (field.getType() == KeyDatabase.class && Modifier.isStatic(field.getModifiers())) {
                try {
                    field.setAccessible(true);
                    return (KeyDatabase) Objects.requireNonNull(field.get(null), field + " is not set");
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException(testClass + " is a @GatewayTest without a static KeyDatabase field");
    }

    private record Customizer(KeyDatabase db) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            var beans = (DefaultSingletonBeanRegistry) context.getBeanFactory();
            beans.registerDisposableBean("dropKeyDatabase", db::close);
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("keyDatabase", new LinkedHashMap<>(db.settings())));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Customizer c && c.db == db;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(db);
        }
    }
}
