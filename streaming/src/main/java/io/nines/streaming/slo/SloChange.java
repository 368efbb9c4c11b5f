package io.nines.streaming.slo;

import java.util.Objects;

/**
 * A valid SLO definition as the job keeps it in broadcast state: the OpenSLO document text rather than the
 * parsed model, because the text has a Flink serializer and the model would need Kryo.
 *
 * @param document the OpenSLO document, null when the SLO was deleted
 */
public record SloChange(String name, long version, String document) {

    public SloChange {
        Objects.requireNonNull(name, "name");
    }

    static SloChange deleted(String name) {
        return new SloChange(name, 0, null);
    }

    boolean isDeletion() {
        return document == null;
    }

    @Override
    public String toString() {
        return "SloChange[" + name + (isDeletion() ? ", deleted" : ", version " + version) + "]";
    }
}
