package io.nines.infra.clickhouse;

import com.clickhouse.data.ClickHouseCityHash;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * ClickHouse's native compressed framing ({@code compress=1} / {@code decompress=1} on the HTTP interface): a
 * sequence of blocks, each a 16-byte CityHash128 (v1.0.2) of the rest of the block, the method byte 0x82 (LZ4),
 * the block size including this 9-byte header, the uncompressed size, then one LZ4 block.
 */
// ClickHouseCityHash is deprecated in clickhouse-data, but client-v2 0.10.0 frames with it itself, and it is the
// one maintained Java implementation of the CityHash v1.0.2 that ClickHouse checksums with.
@SuppressWarnings("deprecation")
final class NativeLz4 {

  private static final int CHECKSUM_SIZE = 16;
  private static final int HEADER_SIZE = 9;
  private static final byte METHOD_LZ4 = (byte) 0x82;
  /** ClickHouse's max_compress_block_size. */
  private static final int BLOCK_SIZE = 1 << 20;
  /** Bounds what a client can make the server allocate for one block. */
  private static final int MAX_UNCOMPRESSED_BLOCK = 1 << 30;

  private final LZ4Compressor compressor;
  private final LZ4FastDecompressor decompressor;

  NativeLz4() {
    LZ4Factory factory = LZ4Factory.fastestInstance();
    this.compressor = factory.fastCompressor();
    this.decompressor = factory.fastDecompressor();
  }

  /** Frames {@code data} in blocks of at most 1 MiB; nothing in, nothing out. */
  byte[] compress(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    for (int offset = 0; offset < data.length; offset += BLOCK_SIZE) {
      int length = Math.min(BLOCK_SIZE, data.length - offset);
      int dataStart = CHECKSUM_SIZE + HEADER_SIZE;
      byte[] block = new byte[dataStart + compressor.maxCompressedLength(length)];
      int compressed = compressor.compress(data, offset, length, block, dataStart, block.length - dataStart);
      ByteBuffer frame = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
      frame.put(CHECKSUM_SIZE, METHOD_LZ4);
      frame.putInt(CHECKSUM_SIZE + 1, HEADER_SIZE + compressed);
      frame.putInt(CHECKSUM_SIZE + 5, length);
      long[] hash = ClickHouseCityHash.cityHash128(block, CHECKSUM_SIZE, HEADER_SIZE + compressed);
      frame.putLong(0, hash[0]);
      frame.putLong(8, hash[1]);
      out.write(block, 0, dataStart + compressed);
    }
    return out.toByteArray();
  }

  /** Unframes {@code framed}, refusing it with TOO_MANY_BYTES as soon as its blocks declare more than {@code limit}. */
  byte[] decompress(byte[] framed, long limit) throws ClickHouseException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(framed.length * 3L, limit));
    ByteBuffer in = ByteBuffer.wrap(framed).order(ByteOrder.LITTLE_ENDIAN);
    int offset = 0;
    while (offset < framed.length) {
      if (framed.length - offset < CHECKSUM_SIZE + HEADER_SIZE) {
        throw corrupt("truncated block header at offset " + offset);
      }
      byte method = framed[offset + CHECKSUM_SIZE];
      int compressedSize = in.getInt(offset + CHECKSUM_SIZE + 1);
      int size = in.getInt(offset + CHECKSUM_SIZE + 5);
      if (method != METHOD_LZ4) {
        throw corrupt(String.format("unsupported compression method 0x%02x (only LZ4, 0x82)", method));
      }
      if (compressedSize < HEADER_SIZE || compressedSize > framed.length - offset - CHECKSUM_SIZE
          || size < 0 || size > MAX_UNCOMPRESSED_BLOCK) {
        throw corrupt("block at offset " + offset + " has impossible sizes " + compressedSize + "/" + size);
      }
      if ((long) out.size() + size > limit) {
        throw ClickHouseException.of(ClickHouseException.TOO_MANY_BYTES, "TOO_MANY_BYTES",
            "The request body (after LZ4 decompression) is larger than the limit of " + limit
                + " bytes (--max-body-bytes)");
      }
      long[] hash = ClickHouseCityHash.cityHash128(framed, offset + CHECKSUM_SIZE, compressedSize);
      if (hash[0] != in.getLong(offset) || hash[1] != in.getLong(offset + 8)) {
        throw corrupt("checksum mismatch in block at offset " + offset);
      }
      byte[] block = new byte[size];
      try {
        int read = decompressor.decompress(framed, offset + CHECKSUM_SIZE + HEADER_SIZE, block, 0, size);
        if (read != compressedSize - HEADER_SIZE) {
          throw corrupt("block at offset " + offset + " does not match its declared size");
        }
      } catch (LZ4Exception e) {
        throw corrupt("block at offset " + offset + " is not valid LZ4: " + e.getMessage());
      }
      out.write(block, 0, size);
      offset += CHECKSUM_SIZE + compressedSize;
    }
    return out.toByteArray();
  }

  private static ClickHouseException corrupt(String detail) {
    return ClickHouseException.of(
        ClickHouseException.CANNOT_DECOMPRESS, "CANNOT_DECOMPRESS", "Cannot decompress request body: " + detail);
  }
}
