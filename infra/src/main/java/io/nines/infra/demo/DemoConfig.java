package io.nines.infra.demo;

import io.nines.core.config.CommandLine;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the demo sends, where, and how fast.
 *
 * @param tracesUrl          OTLP/HTTP traces URL
 * @param spansPerSecond     target rate of spans, in real time
 * @param incidentEvery      period of the error burst; zero turns it off
 * @param incidentLength     how long each burst lasts, at the end of its period
 * @param incidentService    the service that fails during a burst
 * @param incidentErrorRate  share of that service's requests that fail during a burst
 * @param seed               seed of every random choice: latencies, errors, ids
 * @param runFor             stop after this long; zero runs until the process is stopped
 */
record DemoConfig(URI tracesUrl, double spansPerSecond, Duration incidentEvery, Duration incidentLength,
        String incidentService, double incidentErrorRate, long seed, Duration runFor) {

    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:4318";
    static final double DEFAULT_RATE = 50;
    static final long DEFAULT_INCIDENT_LENGTH_SECONDS = 60;
    static final String DEFAULT_INCIDENT_SERVICE = "payments";
    static final double DEFAULT_INCIDENT_ERROR_RATE = 0.25;
    static final long DEFAULT_SEED = 42;
    /** Incidents also slow the service down, as failing dependencies do. */
    static final double INCIDENT_SLOWDOWN = 3;
    private static final String TRACES_PATH = "/v1/traces";
    private static final Set<String> OPTIONS = Set.of("endpoint", "rate", "incident-every", "incident-length",
            "incident-service", "incident-error-rate", "seed", "duration");

    DemoConfig {
        Objects.requireNonNull(tracesUrl, "tracesUrl");
        Objects.requireNonNull(incidentEvery, "incidentEvery");
        Objects.requireNonNull(incidentLength, "incidentLength");
        Objects.requireNonNull(incidentService, "incidentService");
        Objects.requireNonNull(runFor, "runFor");
        if (!"http".equals(tracesUrl.getScheme()) && !"https".equals(tracesUrl.getScheme())) {
            throw new IllegalArgumentException("endpoint must be an http or https URL but was " + tracesUrl);
        }
        if (!(spansPerSecond > 0 && spansPerSecond <= 100_000)) {
            throw new IllegalArgumentException("rate must be in (0, 100000] spans/s but was " + spansPerSecond);
        }
        if (incidentEvery.isNegative()) {
            throw new IllegalArgumentException("incident-every must be >= 0 but was " + incidentEvery);
        }
        if (runFor.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0 but was " + runFor);
        }
        incident(incidentEvery, incidentLength, incidentService, incidentErrorRate);
    }

    /**
     * {@code --endpoint=http://127.0.0.1:4318 --rate=50 --incident-every=0} (minutes)
     * {@code --incident-length=60} (seconds) {@code --incident-service=payments --incident-error-rate=0.25
     * --seed=42 --duration=0} (seconds), else {@code NINES_DEMO_*}, else these defaults.
     */
    static DemoConfig from(String[] args, Map<String, String> env) {
        CommandLine cli = CommandLine.parse(args, env, "DEMO", OPTIONS);
        return new DemoConfig(
                tracesUrl(cli.string("endpoint", DEFAULT_ENDPOINT)),
                cli.number("rate", DEFAULT_RATE),
                Duration.ofMinutes(cli.longValue("incident-every", 0)),
                Duration.ofSeconds(cli.longValue("incident-length", DEFAULT_INCIDENT_LENGTH_SECONDS)),
                cli.string("incident-service", DEFAULT_INCIDENT_SERVICE),
                cli.number("incident-error-rate", DEFAULT_INCIDENT_ERROR_RATE),
                cli.longValue("seed", DEFAULT_SEED),
                Duration.ofSeconds(cli.longValue("duration", 0)));
    }

    /** The base endpoint as {@code OTEL_EXPORTER_OTLP_ENDPOINT} means it, or a full traces URL. */
    static URI tracesUrl(String endpoint) {
        String trimmed = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        try {
            return URI.create(trimmed.endsWith(TRACES_PATH) ? trimmed : trimmed + TRACES_PATH);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoint must be a URL but was '" + endpoint + "'", e);
        }
    }

    Optional<Incident> incident() {
        return incident(incidentEvery, incidentLength, incidentService, incidentErrorRate);
    }

    private static Optional<Incident> incident(Duration every, Duration length, String service, double errorRate) {
        if (every.isZero()) {
            return Optional.empty();
        }
        return Optional.of(new Incident(service, every, length, errorRate, INCIDENT_SLOWDOWN));
    }
}
