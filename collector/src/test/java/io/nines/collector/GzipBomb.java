package io.nines.collector;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Enumeration;
import java.util.NoSuchElementException;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterInputStream;

/** A gzip stream of many zeros, compressed as it is read, so that neither side ever holds the whole thing. */
final class GzipBomb {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private GzipBomb() {}

    static InputStream ofZeros(long bytes) {
        CRC32 crc = new CRC32();
        InputStream zeros = new CheckedInputStream(new Zeros(bytes), crc);
        InputStream deflated = new DeflaterInputStream(zeros, new Deflater(Deflater.BEST_COMPRESSION, true), 64 * 1024);
        Enumeration<InputStream> parts = new Enumeration<>() {
            private int next;

            @Override
            public boolean hasMoreElements() {
                return next < 3;
            }

            @Override
            public InputStream nextElement() {
                return switch (next++) {
                    case 0 -> new ByteArrayInputStream(HEADER);
                    case 1 -> deflated;
                    // the trailer's checksum is only known once the body went through
                    case 2 -> new ByteArrayInputStream(trailer(crc.getValue(), bytes));
                    default -> throw new NoSuchElementException();
                };
            }
        };
        return new SequenceInputStream(parts);
    }

    private static byte[] trailer(long crc, long size) {
        byte[] trailer = new byte[8];
        for (int i = 0; i < 4; i++) {
            trailer[i] = (byte) (crc >>> (8 * i));
            trailer[4 + i] = (byte) (size >>> (8 * i));
        }
        return trailer;
    }

    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long bytes) {
            this.left = bytes;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
