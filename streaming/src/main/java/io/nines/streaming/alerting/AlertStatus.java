package io.nines.streaming.alerting;

/**
 * Where one alert (SLO, severity) is in its lifecycle, kept in keyed state. A Flink POJO.
 *
 * <p>{@code sequence} is the last sequence number emitted; {@code episodeStart} the end of the pane at which
 * the rules began to hold (the incident id's time); {@code holdingSince} when they began holding without a
 * break (for {@code alertAfter}); {@code lastHeld} the last evaluation at which one held (for the resolve
 * delay); {@code evaluatedAt} the last evaluation, the time of a resolution forced by a deletion;
 * {@code recoveredAt} the evaluation at which the alert last resolved on recovery, 0 when it never did (burn-rate
 * rules whose short window reaches before it cannot raise the alert again).
 */
public final class AlertStatus {

    static final String INACTIVE = "inactive";

    public String state = INACTIVE;
    public long sequence;
    public long episodeStart;
    public long holdingSince;
    public long lastHeld;
    public long evaluatedAt;
    public long recoveredAt;
    public String rule = "";

    public AlertStatus() {
    }

    boolean isActive() {
        return !INACTIVE.equals(state);
    }
}
