package io.nines.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

class BodyReaderTest {

    private static final int LIMIT = 1024 * 1024;
    private final BodyReader reader = new BodyReader(LIMIT);

    @Test
    void readsAPlainBodyExactlyAtTheLimit() throws Exception {
        byte[] body = new byte[LIMIT];
        body[LIMIT - 1] = 42;

        assertThat(reader.read(new ByteArrayInputStream(body), false)).isEqualTo(body);
    }

    @Test
    void refusesAPlainBodyOneByteOverTheLimit() {
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(new byte[LIMIT + 1]), false))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("request body exceeds 1048576 bytes after decompression");
    }

    @Test
    void inflatesGzip() throws Exception {
        byte[] body = "spans and more spans".repeat(1000).getBytes();

        assertThat(reader.read(new ByteArrayInputStream(gzip(body, 0)), true)).isEqualTo(body);
    }

    @Test
    void stopsInflatingABombAtTheLimit() throws Exception {
        byte[] bomb = gzip(new byte[0], 100);
        CountingStream compressed = new CountingStream(new ByteArrayInputStream(bomb));

        assertThatThrownBy(() -> reader.read(compressed, true)).isInstanceOf(PayloadTooLargeException.class);
        // 100 MiB of zeros deflate about 1000:1, so 1 MiB out needs about 1 % of the input (plus a buffer)
        assertThat(compressed.count).isLessThan(bomb.length / 4);
    }

    @Test
    void refusesABodyThatIsNotGzip() {
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream("plain".getBytes()), true))
                .isInstanceOf(ZipException.class);
    }

    /** {@code body}, then {@code zeroMiB} MiB of zeros, gzipped. */
    static byte[] gzip(byte[] body, int zeroMiB) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < zeroMiB; i++) {
                gzip.write(zeros);
            }
        }
        return out.toByteArray();
    }

    private static final class CountingStream extends InputStream {
        private final InputStream in;
        private long count;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
