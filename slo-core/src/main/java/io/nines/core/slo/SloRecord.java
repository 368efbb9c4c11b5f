package io.nines.core.slo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One SLO definition as it travels on the compacted topic {@code nines.slo-definitions}: key = the SLO name
 * (UTF-8), value = {@code {"name":..,"team":..,"version":N,"document":"<OpenSLO document as JSON text>"}},
 * a null value (tombstone) when the SLO was deleted. The API writes it and the streaming job reads it, both
 * through this codec; {@code document} is read with {@link OpenSloReader}.
 *
 * <p>jackson-core (the streaming parser, without databind) keeps slo-core light and still leaves JSON
 * escaping to a library.
 */
public record SloRecord(String name, String team, long version, String document) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(2 * OpenSloReader.MAX_CHARS).maxNestingDepth(32).build())
      .build();

  public SloRecord {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name must be lowercase letters, digits and '-', at most 63 characters,"
          + " was '" + name + "'");
    }
    if (team == null || !NAME.matcher(team).matches()) {
      throw new IllegalArgumentException("team must be like a name (lowercase, digits, '-'), was '" + team + "'");
    }
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1, was " + version);
    }
    if (document == null || document.isBlank()) {
      throw new IllegalArgumentException("document must not be blank");
    }
  }

  /** The record key: the SLO name in UTF-8, so compaction keeps the newest definition of each SLO. */
  public static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /** The record value, UTF-8 JSON. */
  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(document.length() + 128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("name", name);
      json.writeStringField("team", team);
      json.writeNumberField("version", version);
      json.writeStringField("document", document);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * Reads a record value; unknown fields are skipped so that a newer writer may add some.
   *
   * @throws IllegalArgumentException when the value is not such an envelope, naming what is wrong
   */
  public static SloRecord fromJson(byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("value is a tombstone (null): the SLO was deleted");
    }
    String name = null;
    String team = null;
    long version = 0;
    String document = null;
    try (JsonParser json = JSON.createParser(value)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("SLO record must be a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken token = json.nextToken();
        switch (field) {
          case "name" -> name = text(json, token, field);
          case "team" -> team = text(json, token, field);
          case "document" -> document = text(json, token, field);
          case "version" -> {
            if (token != JsonToken.VALUE_NUMBER_INT) {
              throw new IllegalArgumentException("SLO record field version must be an integer, was " + token);
            }
            version = json.getLongValue();
          }
          default -> json.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("SLO record is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading from memory cannot fail", e);
    }
    return new SloRecord(name, team, version, document);
  }

  private static String text(JsonParser json, JsonToken token, String field) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException("SLO record field " + field + " must be a string, was " + token);
    }
    return json.getText();
  }
}
