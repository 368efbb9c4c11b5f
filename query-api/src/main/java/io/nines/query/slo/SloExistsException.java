package io.nines.query.slo;

/** A create named an SLO that already exists; replacing it is a PUT. */
public final class SloExistsException extends RuntimeException {

    SloExistsException(String name, long version) {
        super("an SLO named '" + name + "' already exists (version " + version + "); PUT /api/v1/slos/" + name
                + " replaces it");
    }
}
