package io.nines.query.resilience;

/** Requests that must not starve each other get separate bounded pools. */
public enum Lane {
    /** Reads by the dashboards (requests with a session cookie): what managers look at. */
    DASHBOARD_READS,
    /** Reads by scripts and tools with a bearer token. */
    API_READS,
    /** Changes: few, slow (they wait for Kafka), and never allowed to crowd out reads. */
    WRITES
}
