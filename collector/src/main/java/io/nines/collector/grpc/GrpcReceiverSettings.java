package io.nines.collector.grpc;

import java.util.Objects;

/**
 * Where the OTLP/gRPC receiver listens and what it takes.
 *
 * @param host            interface to bind
 * @param port            port to bind; 0 picks a free one
 * @param maxMessageBytes largest request message after decompression; larger ones get RESOURCE_EXHAUSTED
 */
public record GrpcReceiverSettings(String host, int port, int maxMessageBytes) {

    public GrpcReceiverSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive but was " + maxMessageBytes);
        }
    }
}
