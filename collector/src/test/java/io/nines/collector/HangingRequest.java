package io.nines.collector;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * An OTLP/HTTP request whose chunked body arrives in two parts, the second only when the test says so: while it
 * hangs, the collector holds it in its in-flight budget. The JDK client sends body chunks of some KiB, so the
 * first part should be large for the collector to see it.
 */
final class HangingRequest implements AutoCloseable {

    private final PipedOutputStream rest;
    private final byte[] body;
    private final int sentFirst;
    private final CompletableFuture<HttpResponse<byte[]>> response;

    private HangingRequest(PipedOutputStream rest, byte[] body, int sentFirst,
            CompletableFuture<HttpResponse<byte[]>> response) {
        this.rest = rest;
        this.body = body;
        this.sentFirst = sentFirst;
        this.response = response;
    }

    /** Sends the first {@code firstBytes} of {@code body} to {@code /v1/traces} and waits for more. */
    static HangingRequest start(int port, byte[] body, int firstBytes) throws IOException {
        PipedInputStream in = new PipedInputStream(body.length + 1);
        PipedOutputStream out = new PipedOutputStream(in);
        out.write(body, 0, firstBytes);
        out.flush();
        // HTTP/1.1: an h2c upgrade would make the server take the whole body before the handler sees any
        CompletableFuture<HttpResponse<byte[]>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .build().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> in)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new HangingRequest(out, body, firstBytes, response);
    }

    /** Sends the rest and returns the answer. */
    HttpResponse<byte[]> finish() {
        try {
            rest.write(body, sentFirst, body.length - sentFirst);
            rest.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response.join();
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}
