package io.nines.infra.clickhouse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;

/**
 * Reads request bodies within two bounds, so no request, however large or however well it compresses, can
 * exhaust the heap: each body (and each decompressed form of it) at most {@code maxBodyBytes}, answered with
 * {@code TOO_MANY_BYTES} and 413; and all bodies held at once, by every handler thread, at most twice that,
 * answered with {@code MEMORY_LIMIT_EXCEEDED} and 503 (clients retry; chDB runs one query at a time anyway).
 */
final class RequestBodies {

  private static final int CHUNK = 64 * 1024;

  private final long maxBodyBytes;
  private final Semaphore budget;

  RequestBodies(long maxBodyBytes) {
    if (maxBodyBytes < 1 || maxBodyBytes > ClickHouseServerConfig.LARGEST_MAX_BODY_BYTES) {
      throw new IllegalArgumentException("maxBodyBytes must be within 1.."
          + ClickHouseServerConfig.LARGEST_MAX_BODY_BYTES + ", was " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    this.budget = new Semaphore(Math.toIntExact(2 * maxBodyBytes));
  }

  /** The bytes one request holds against the budget, given back when it is closed. */
  Lease lease() {
    return new Lease();
  }

  /** Refuses a body whose declared length ({@code Content-Length}, -1 when unknown) is over the limit. */
  void checkDeclared(long declaredLength) throws ClickHouseException {
    if (declaredLength > maxBodyBytes) {
      throw tooLarge("is " + declaredLength + " bytes (Content-Length), more");
    }
  }

  final class Lease implements AutoCloseable {

    private long held;

    private Lease() {
    }

    /**
     * Reads {@code in} to its end; {@code what} names the form in errors ("request body", "decompressed
     * request body").
     */
    byte[] read(InputStream in, long expectedLength, String what) throws IOException, ClickHouseException {
      ByteArrayOutputStream out = new ByteArrayOutputStream(
          (int) Math.min(Math.max(expectedLength, CHUNK), maxBodyBytes));
      byte[] chunk = new byte[CHUNK];
      long total = 0;
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        total += n;
        if (total > maxBodyBytes) {
          throw tooLarge("(" + what + ") is larger");
        }
        hold(n);
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    }

    /** Counts {@code bytes} more against the budget, or refuses the request when the budget is in use. */
    void hold(long bytes) throws ClickHouseException {
      if (bytes <= 0) {
        return;
      }
      if (held + bytes > maxBodyBytes * 2 || !budget.tryAcquire(Math.toIntExact(bytes))) {
        throw ClickHouseException.of(ClickHouseException.MEMORY_LIMIT_EXCEEDED, "MEMORY_LIMIT_EXCEEDED",
            "Request bodies being read use the server's budget of " + 2 * maxBodyBytes
                + " bytes; retry the request later");
      }
      held += bytes;
    }

    @Override
    public void close() {
      budget.release(Math.toIntExact(held));
      held = 0;
    }
  }

  long maxBodyBytes() {
    return maxBodyBytes;
  }

  ClickHouseException tooLarge(String detail) {
    return ClickHouseException.of(ClickHouseException.TOO_MANY_BYTES, "TOO_MANY_BYTES",
        "The request body " + detail + " than the limit of " + maxBodyBytes + " bytes (--max-body-bytes)");
  }
}
