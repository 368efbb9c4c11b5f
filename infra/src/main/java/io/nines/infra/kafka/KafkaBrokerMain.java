package io.nines.infra.kafka;

/**
 * Runs a single-node KRaft Kafka broker for the local platform and for tests.
 *
 * <p>Options {@code --host=127.0.0.1 --port=9092 --controller-port=9093 --path=DIR} (or {@code NINES_KAFKA_HOST},
 * {@code NINES_KAFKA_PORT}, {@code NINES_KAFKA_CONTROLLER_PORT}, {@code NINES_KAFKA_PATH}). Prints
 * {@code Kafka broker ready on HOST:PORT} once clients can connect; exits with status 2 if it cannot start.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) {
        QuietLogging.unlessConfigured();
        KafkaBroker broker;
        BrokerConfig config;
        try {
            config = BrokerConfig.from(args, System.getenv());
            broker = new KafkaBroker(config);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
        long startedAt = System.nanoTime();
        try {
            broker.start();
        } catch (Exception | Error e) {
            broker.close();
            fail(e);
            return;
        }
        long millis = (System.nanoTime() - startedAt) / 1_000_000;
        System.out.println("Kafka broker ready on " + config.bootstrapServers() + " (data in " + config.path() + ", started in " + millis + " ms)");
        System.out.flush();
    }

    private static void fail(Throwable e) {
        System.err.println("Kafka broker failed to start: " + Failures.oneLine(e));
        System.err.flush();
        System.exit(2);
    }
}
