package io.nines.infra.clickhouse;

/** ClickHouse's quoting rules, for the few statements the server writes itself (USE, SET). */
final class SqlText {

  private SqlText() {}

  /** A string literal no value can break out of: backslash and quote are escaped, everything else is literal. */
  static String quoteString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A back-quoted identifier, escaped the same way as a string literal. */
  static String quoteIdentifier(String name) {
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  /** Reverses TabSeparated escaping, for values read back from system tables. */
  static String unescapeTsv(String value) {
    if (value.indexOf('\\') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\' || i + 1 == value.length()) {
        out.append(c);
        continue;
      }
      char next = value.charAt(++i);
      switch (next) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '0' -> out.append('\0');
        default -> out.append(next);
      }
    }
    return out.toString();
  }
}
