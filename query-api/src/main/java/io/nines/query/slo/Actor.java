package io.nines.query.slo;

import java.util.Objects;
import java.util.Optional;

/**
 * Who makes a change, recorded with every version, and which team's SLOs it may change: {@code team} empty
 * means every team (admins, the process itself).
 */
public record Actor(String name, Optional<String> team) {

    public Actor {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("actor name must not be blank, was '" + name + "'");
        }
        Objects.requireNonNull(team, "team");
    }

    /** Changes made by the process itself, such as loading {@code --slos}. */
    public static Actor system(String what) {
        return new Actor("system:" + what, Optional.empty());
    }

    /** An actor limited to one team's objects. */
    public static Actor ofTeam(String name, String team) {
        return new Actor(name, Optional.of(team));
    }

    /** An actor that may change every team's objects. */
    public static Actor ofEveryTeam(String name) {
        return new Actor(name, Optional.empty());
    }

    /** @throws NotYourTeamException when this actor may not change objects of {@code objectTeam} */
    void requireTeam(String objectTeam, String what) {
        if (team.isPresent() && !team.get().equals(objectTeam)) {
            throw new NotYourTeamException(team.get(), objectTeam, what);
        }
    }
}
