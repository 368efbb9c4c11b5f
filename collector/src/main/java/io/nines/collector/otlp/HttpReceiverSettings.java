package io.nines.collector.otlp;

import java.util.Objects;

/**
 * Where the OTLP/HTTP receiver listens and what it takes.
 *
 * @param host         interface to bind
 * @param port         port to bind; 0 picks a free one
 * @param maxBodyBytes largest request body after decompression
 */
public record HttpReceiverSettings(String host, int port, int maxBodyBytes) {

    public HttpReceiverSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
        }
        // one byte more than the limit is read to tell "exactly at the limit" from "over it"
        if (maxBodyBytes < 1 || maxBodyBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBodyBytes must be in 1.." + (Integer.MAX_VALUE - 1)
                    + " but was " + maxBodyBytes);
        }
    }
}
