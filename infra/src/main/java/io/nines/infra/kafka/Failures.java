package io.nines.infra.kafka;

import java.util.LinkedHashSet;
import java.util.Set;

/** Turns an exception chain into the one line a failed start prints. */
final class Failures {

    private Failures() {
    }

    /** Kafka wraps the useful message (which port, which file) several layers deep, so every layer is kept. */
    static String oneLine(Throwable e) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = e; t != null && messages.size() < 8; t = t.getCause() == t ? null : t.getCause()) {
            messages.add(t.getMessage() == null ? t.getClass().getName() : t.getMessage());
        }
        return String.join(" <- ", messages).replace('\n', ' ');
    }
}
