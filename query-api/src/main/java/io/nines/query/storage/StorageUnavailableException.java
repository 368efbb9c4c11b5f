package io.nines.query.storage;

/** ClickHouse did not answer; callers may retry later. The message is for logs, never for HTTP bodies. */
public final class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
