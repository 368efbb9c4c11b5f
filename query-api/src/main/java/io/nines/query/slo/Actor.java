package io.nines.query.slo;

/**
 * Who makes a change: recorded with every version. Authentication and team roles come later; they will
 * produce an actor and check it against the SLO's team here, without changing the callers.
 */
public record Actor(String name) {

    public Actor {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("actor name must not be blank, was '" + name + "'");
        }
    }

    /** Changes made over HTTP before authentication exists. */
    public static Actor anonymous() {
        return new Actor("anonymous");
    }

    /** Changes made by the process itself, such as loading {@code --slos}. */
    public static Actor system(String what) {
        return new Actor("system:" + what);
    }
}
