package io.nines.core.alerting;

import java.util.Locale;

/** How urgently an alert wants a human: a page wakes the on-call now, a ticket waits for working hours. */
public enum Severity {
  PAGE, TICKET;

  /** The name in documents and on the wire: {@code page} or {@code ticket}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The severity named {@code label}, as {@link #label()} writes it. */
  public static Severity of(String label) {
    for (Severity severity : values()) {
      if (severity.label().equals(label)) {
        return severity;
      }
    }
    throw new IllegalArgumentException("severity must be page or ticket, was '" + label + "'");
  }
}
