package io.nines.infra.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import io.nines.core.config.CommandLine;
import java.util.Set;

/**
 * Where the broker listens and keeps its data.
 *
 * @param host           interface both listeners bind to and the address advertised to clients
 * @param port           client (PLAINTEXT) port
 * @param controllerPort KRaft controller port
 * @param path           data directory; survives restarts
 */
record BrokerConfig(String host, int port, int controllerPort, Path path) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 9092;
    static final int DEFAULT_CONTROLLER_PORT = 9093;
    static final String DEFAULT_HOME = ".nines";

    BrokerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        checkPort("port", port);
        checkPort("controller-port", controllerPort);
        if (port == controllerPort) {
            throw new IllegalArgumentException("port and controller-port must differ but both are " + port);
        }
        path = path.toAbsolutePath().normalize();
    }

    private static void checkPort(String name, int value) {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(name + " must be in 1..65535 but was " + value);
        }
    }

    /**
     * {@code --host --port --controller-port --path}, else {@code NINES_KAFKA_*}, else the local defaults;
     * the default data directory is {@code kafka/} inside {@code $NINES_HOME}, or inside {@code .nines/}.
     */
    static BrokerConfig from(String[] args, Map<String, String> env) {
        CommandLine cli = CommandLine.parse(args, env, "KAFKA", Set.of("host", "port", "controller-port", "path"));
        Path defaultPath = Path.of(env.getOrDefault("NINES_HOME", DEFAULT_HOME), "kafka");
        return new BrokerConfig(
                cli.string("host", DEFAULT_HOST),
                cli.integer("port", DEFAULT_PORT),
                cli.integer("controller-port", DEFAULT_CONTROLLER_PORT),
                cli.path("path", defaultPath));
    }

    String bootstrapServers() {
        return host + ":" + port;
    }
}
