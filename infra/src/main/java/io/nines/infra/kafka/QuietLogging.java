package io.nines.infra.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps Kafka's logging at WARN in processes that have no logging configuration of their own. */
final class QuietLogging {

    private QuietLogging() {
    }

    /**
     * Without a configuration logback logs everything at DEBUG, and Kafka's DEBUG output runs to megabytes;
     * an explicit {@code -Dlogback.configurationFile} or a {@code logback.xml} on the classpath still wins.
     */
    static void unlessConfigured() {
        boolean configured = System.getProperty("logback.configurationFile") != null
                || QuietLogging.class.getClassLoader().getResource("logback.xml") != null;
        if (!configured && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
    }
}
