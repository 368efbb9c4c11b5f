package io.nines.collector.otlp;

/** The body, once decompressed, is over the limit; thrown as soon as the limit is passed. */
final class PayloadTooLargeException extends Exception {

    private static final long serialVersionUID = 1L;

    PayloadTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes after decompression");
    }
}
