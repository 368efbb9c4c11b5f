package io.nines.query.slo;

/** An editor tried to change an object of another team. */
public final class NotYourTeamException extends RuntimeException {

    public NotYourTeamException(String actorTeam, String objectTeam, String what) {
        super(what + " belongs to team '" + objectTeam + "'; this token may change team '" + actorTeam
                + "' only");
    }
}
