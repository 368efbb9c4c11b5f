package io.nines.collector.pipeline;

import java.util.Map;

/**
 * A request after its rules ran.
 *
 * @param valid      the request without its invalid items; the very same instance when all were valid
 * @param rejections items left out, by reason; empty when {@code valid} is the original request
 */
record Checked<R>(R valid, Map<Rejection, Integer> rejections) {

    boolean unchanged() {
        return rejections.isEmpty();
    }
}
