package io.nines.query.paging;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** A page of a list, and the cursor of the next page when there is one. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }

    public <R> Page<R> map(Function<T, R> mapping) {
        return new Page<>(items.stream().map(mapping).toList(), nextCursor);
    }

    /** The cursor as the answer's {@code nextCursor}: absent (null) on the last page. */
    public String next() {
        return nextCursor.orElse(null);
    }
}
