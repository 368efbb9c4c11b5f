package io.nines.query.slo;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where SLO definitions go and come from.
 *
 * @param kafkaBootstrap {@code bootstrap.servers} of the Kafka cluster the stream reads definitions from
 * @param topic the compacted topic of definitions, created at startup when missing
 * @param directory OpenSLO files to create or update at startup
 * @param streamJob the streaming job whose watermark says which minutes are closed
 * @param prune whether loading {@code directory} also deletes the SLOs an earlier load created from a file that is
 *     gone (and that nobody changed through the API since); see {@link SloDirectory}
 */
public record SloSettings(String kafkaBootstrap, String topic, Optional<Path> directory, String streamJob,
        boolean prune) {

    public SloSettings {
        if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka-bootstrap must not be blank");
        }
        if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("slo-topic must be a Kafka topic name (letters, digits, '.', '_', '-'),"
                    + " was '" + topic + "'");
        }
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null (use empty)");
        }
        if (streamJob == null || streamJob.isBlank()) {
            throw new IllegalArgumentException("stream-job must not be blank");
        }
        if (prune && directory.isEmpty()) {
            throw new IllegalArgumentException("slos-prune needs --slos=DIR: it deletes SLOs that DIR no longer has");
        }
    }

    /** Without pruning. */
    public SloSettings(String kafkaBootstrap, String topic, Optional<Path> directory, String streamJob) {
        this(kafkaBootstrap, topic, directory, streamJob, false);
    }

    public static SloSettings local(String kafkaBootstrap) {
        return new SloSettings(kafkaBootstrap, "nines.slo-definitions", Optional.empty(), "nines-streaming");
    }
}
