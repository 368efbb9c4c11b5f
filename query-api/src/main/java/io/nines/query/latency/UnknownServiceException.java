package io.nines.query.latency;

/** No latency was ever recorded for the service: distinct from a known service that was quiet in the range. */
public final class UnknownServiceException extends RuntimeException {

    private final String service;

    UnknownServiceException(String service) {
        super("no data has ever been recorded for service '" + service + "'");
        this.service = service;
    }

    public String service() {
        return service;
    }
}
