package io.nines.query.alerting;

import io.nines.query.slo.Actor;
import io.nines.query.slo.NotYourTeamException;

/** Team scoping for alerting objects, as for SLOs: admins change every team's, editors their own team's. */
final class Teams {

    private Teams() {}

    static void require(Actor actor, String objectTeam, String what) {
        if (actor.team().isPresent() && !actor.team().get().equals(objectTeam)) {
            throw new NotYourTeamException(actor.team().get(), objectTeam, what);
        }
    }
}
