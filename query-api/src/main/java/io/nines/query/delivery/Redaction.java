package io.nines.query.delivery;

import io.nines.core.slo.NotificationTarget;

/** Takes a target's secrets out of text that will be stored, answered or logged (error messages, bodies). */
final class Redaction {

    private Redaction() {}

    static String scrub(String text, NotificationTarget target) {
        String result = text.replace(target.url().toString(), target.redactedUrl());
        if (target.url().getRawPath() != null && target.url().getRawPath().length() > 1) {
            result = result.replace(target.url().getRawPath(), "/…");
        }
        if (target.routingKey().isPresent()) {
            result = result.replace(target.routingKey().get(), NotificationTarget.REDACTED);
        }
        for (String value : target.headers().values()) {
            if (!value.isEmpty()) {
                result = result.replace(value, NotificationTarget.REDACTED);
            }
        }
        return result;
    }
}
