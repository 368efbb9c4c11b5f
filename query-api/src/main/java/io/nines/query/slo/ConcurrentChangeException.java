package io.nines.query.slo;

/**
 * Another writer (this process or another API instance) changed the SLO while this change was being written: its
 * version number was taken, or a newer version appeared after the one this change was based on.
 */
public final class ConcurrentChangeException extends RuntimeException {

    ConcurrentChangeException(String name, long version) {
        super("another change of SLO '" + name + "' was written at the same time as this one (version " + version
                + "); read the SLO again and retry");
    }
}
