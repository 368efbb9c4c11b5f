package io.nines.streaming.aside;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each element routed aside as a warning. The elements' {@code toString} must not carry payloads:
 * span events and rejected records name a position and a reason only.
 */
public final class LoggingSink<T> implements Sink<T> {

    private final String what;

    /** @param what how the log line introduces each element, e.g. "late span" */
    public LoggingSink(String what) {
        if (what == null || what.isBlank()) {
            throw new IllegalArgumentException("what must name the elements, was '" + what + "'");
        }
        this.what = what;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(what, LoggerFactory.getLogger(LoggingSink.class));
    }

    private record Writer<T>(String what, Logger log) implements SinkWriter<T> {

        @Override
        public void write(T element, Context context) {
            log.warn("{}: {}", what, element);
        }

        @Override
        public void flush(boolean endOfInput) {
        }

        @Override
        public void close() {
        }
    }
}
