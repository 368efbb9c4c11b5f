package io.nines.infra.clickhouse;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A query failure as ClickHouse reports it: an error code and the text {@code Code: N. DB::Exception: ...}. */
final class ClickHouseException extends Exception {

  static final int SYNTAX_ERROR = 62;
  static final int UNKNOWN_SETTING = 115;
  static final int READONLY = 164;
  static final int REQUIRED_PASSWORD = 194;
  static final int ABORTED = 236;
  static final int MEMORY_LIMIT_EXCEEDED = 241;
  static final int CANNOT_DECOMPRESS = 271;
  static final int TOO_MANY_BYTES = 307;
  static final int AUTHENTICATION_FAILED = 516;
  private static final int UNKNOWN_EXCEPTION = 1002;

  private static final Pattern CODE = Pattern.compile("^Code: (\\d+)\\.");

  /** The statuses ClickHouse's HTTPHandler gives instead of 500, so clients that branch on status agree. */
  private static final Map<Integer, Integer> HTTP_STATUS =
      Map.ofEntries(
          Map.entry(REQUIRED_PASSWORD, 401),
          Map.entry(AUTHENTICATION_FAILED, 403),
          Map.entry(192, 403), // UNKNOWN_USER
          Map.entry(193, 403), // WRONG_PASSWORD
          Map.entry(497, 403), // ACCESS_DENIED
          Map.entry(READONLY, 403),
          Map.entry(6, 400), // CANNOT_PARSE_TEXT
          Map.entry(26, 400), // CANNOT_PARSE_QUOTED_STRING
          Map.entry(27, 400), // CANNOT_PARSE_INPUT_ASSERTION_FAILED
          Map.entry(38, 400), // CANNOT_PARSE_DATE
          Map.entry(41, 400), // CANNOT_PARSE_DATETIME
          Map.entry(72, 400), // CANNOT_PARSE_NUMBER
          Map.entry(376, 400), // CANNOT_PARSE_UUID
          Map.entry(15, 400), // DUPLICATE_COLUMN
          Map.entry(44, 400), // ILLEGAL_COLUMN
          Map.entry(53, 400), // TYPE_MISMATCH
          Map.entry(SYNTAX_ERROR, 400),
          Map.entry(117, 400), // INCORRECT_DATA
          Map.entry(321, 400), // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
          Map.entry(CANNOT_DECOMPRESS, 400),
          Map.entry(TOO_MANY_BYTES, 413), // ours: a request body over --max-body-bytes
          Map.entry(MEMORY_LIMIT_EXCEEDED, 503), // ours: the server-wide body budget is in use; retry later
          Map.entry(46, 404), // UNKNOWN_FUNCTION
          Map.entry(47, 404), // UNKNOWN_IDENTIFIER
          Map.entry(50, 404), // UNKNOWN_TYPE
          Map.entry(56, 404), // UNKNOWN_STORAGE
          Map.entry(60, 404), // UNKNOWN_TABLE
          Map.entry(63, 404), // UNKNOWN_AGGREGATE_FUNCTION
          Map.entry(73, 404), // UNKNOWN_FORMAT
          Map.entry(81, 404), // UNKNOWN_DATABASE
          Map.entry(UNKNOWN_SETTING, 404),
          Map.entry(48, 501)); // NOT_IMPLEMENTED

  private final int code;

  private ClickHouseException(int code, String text) {
    super(text);
    this.code = code;
  }

  /** An error raised by the server itself, worded the way ClickHouse words its own. */
  static ClickHouseException of(int code, String name, String message) {
    return new ClickHouseException(code, "Code: " + code + ". DB::Exception: " + message + ". (" + name + ")");
  }

  /** An error text that came back from chDB; its code is read from the text. */
  static ClickHouseException fromEngine(String text) {
    String trimmed = text.strip();
    Matcher matcher = CODE.matcher(trimmed);
    if (matcher.find()) {
      return new ClickHouseException(Integer.parseInt(matcher.group(1)), trimmed);
    }
    return new ClickHouseException(UNKNOWN_EXCEPTION, "Code: " + UNKNOWN_EXCEPTION + ". DB::Exception: " + trimmed);
  }

  int code() {
    return code;
  }

  int httpStatus() {
    return HTTP_STATUS.getOrDefault(code, 500);
  }
}
