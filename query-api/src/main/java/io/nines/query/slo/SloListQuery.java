package io.nines.query.slo;

import io.nines.query.paging.PageRequest;
import java.util.Objects;
import java.util.Optional;

/** A page of the SLO list, by name, filtered by team and service. */
public record SloListQuery(Optional<String> team, Optional<String> service, PageRequest page) {

    public SloListQuery {
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(page, "page");
    }

    /** The name the page starts after. */
    Optional<String> after() {
        return page.after(1).map(key -> key.text(0));
    }
}
