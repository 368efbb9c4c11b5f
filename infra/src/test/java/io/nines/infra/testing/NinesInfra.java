package io.nines.infra.testing;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(NinesInfra.class)}: injects {@link EmbeddedKafka} and {@link EmbeddedClickHouse} into test
 * methods, constructors and lifecycle methods. Each is started on first use and shared by every test class of
 * the test JVM, then closed when the JVM's tests are done; tests keep apart with {@link #uniqueName} topics and
 * databases. A test that stops a shared server must start it again before it ends.
 */
public final class NinesInfra implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NinesInfra.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedKafka.class || type == EmbeddedClickHouse.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        Class<?> type = parameter.getParameter().getType();
        if (type == EmbeddedKafka.class) {
            // the root store closes AutoCloseable values when the test plan ends
            return store.getOrComputeIfAbsent(EmbeddedKafka.class, key -> EmbeddedKafka.launch(), EmbeddedKafka.class);
        }
        return store.getOrComputeIfAbsent(EmbeddedClickHouse.class, key -> EmbeddedClickHouse.launch(), EmbeddedClickHouse.class);
    }

    /**
     * {@code prefix_} and 12 random hex digits: legal as a Kafka topic, a ClickHouse database and a consumer group.
     */
    public static String uniqueName(String prefix) {
        if (!prefix.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("prefix '" + prefix + "' must be letters, digits and underscores");
        }
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix + "_" + HexFormat.of().formatHex(random);
    }
}
