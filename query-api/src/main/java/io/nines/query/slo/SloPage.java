package io.nines.query.slo;

import java.util.List;
import java.util.Optional;

/** Current SLOs sorted by name, and the cursor of the next page when there is one. */
public record SloPage(List<SloVersion> slos, Optional<String> nextCursor) {

    public SloPage {
        slos = List.copyOf(slos);
    }
}
