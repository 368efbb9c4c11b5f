package io.nines.query.alerting;

import java.util.Objects;
import java.util.Optional;

/**
 * Which alerts to list: by their latest state ({@code firing}, {@code resolved}, {@code pending} or {@code all}),
 * SLO and team.
 */
public record AlertQuery(String state, Optional<String> slo, Optional<String> team) {

    public AlertQuery {
        if (state == null || !(state.equals("firing") || state.equals("resolved") || state.equals("pending")
                || state.equals("all"))) {
            throw new InvalidRequestException("state", "must be firing, resolved, pending or all, was '"
                    + (state == null ? "" : state.length() > 20 ? state.substring(0, 20) + "..." : state) + "'");
        }
        Objects.requireNonNull(slo, "slo");
        Objects.requireNonNull(team, "team");
    }
}
