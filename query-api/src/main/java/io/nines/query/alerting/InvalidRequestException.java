package io.nines.query.alerting;

import io.nines.core.slo.InvalidSloException;
import java.util.List;
import java.util.stream.Collectors;

/** A silence (or alert query) Nines cannot accept, with every broken rule and the field it applies to. */
public final class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<InvalidSloException.Violation> violations;

    public InvalidRequestException(List<InvalidSloException.Violation> violations) {
        super(violations.stream().map(Object::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public InvalidRequestException(String path, String rule) {
        this(List.of(new InvalidSloException.Violation(path, rule)));
    }

    public List<InvalidSloException.Violation> violations() {
        return violations;
    }
}
