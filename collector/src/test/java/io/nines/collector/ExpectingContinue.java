package io.nines.collector;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * Requests with {@code Expect: 100-continue}, sent with OkHttp, which sends the body only after 100 Continue and
 * takes a final status instead: Java 17's HttpClient waits forever (its request timeout included) when a server
 * answers {@code Expect: 100-continue} with a final status.
 */
final class ExpectingContinue {

    /** What came back. */
    record Answer(int status, String contentType, String allow, String retryAfter, byte[] body) {}

    private ExpectingContinue() {}

    /**
     * @param encoding {@code Content-Encoding}, or null
     * @param uploaded counts the body bytes the client handed to the connection: OkHttp starts the body only after
     *                 100 Continue
     */
    static Answer send(String url, String method, String contentType, String encoding, Supplier<InputStream> body,
            long length, AtomicLong uploaded) throws IOException {
        RequestBody requestBody = new RequestBody() {
            @Override
            public MediaType contentType() {
                return contentType == null ? null : MediaType.parse(contentType);
            }

            @Override
            public long contentLength() {
                return length;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                try (InputStream in = body.get()) {
                    byte[] buffer = new byte[64 * 1024];
                    int read;
                    while ((read = in.read(buffer)) > 0) {
                        // counted before the write, which fails once the server closed: asked for is what counts
                        uploaded.addAndGet(read);
                        sink.write(buffer, 0, read);
                    }
                }
            }
        };
        Request.Builder request = new Request.Builder().url(url).header("Expect", "100-continue")
                .method(method, requestBody);
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();
        try (Response response = client.newCall(request.build()).execute()) {
            return new Answer(response.code(), response.header("Content-Type"), response.header("Allow"),
                    response.header("Retry-After"), response.body().bytes());
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
