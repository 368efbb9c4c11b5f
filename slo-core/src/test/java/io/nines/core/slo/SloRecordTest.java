package io.nines.core.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SloRecordTest {

  private static final String DOCUMENT = "{\"apiVersion\":\"openslo/v1\",\"kind\":\"SLO\",\"metadata\":{\"name\":"
      + "\"checkout-availability\",\"description\":\"quotes \\\" and\\nnewlines, ünïcödé\"}}";

  @Test
  void writesTheDocumentedEnvelope() {
    SloRecord record = new SloRecord("checkout-availability", "payments", 3, "{\"a\":\"b\\\"c\"}");
    assertThat(new String(record.toJson(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"name\":\"checkout-availability\",\"team\":\"payments\",\"version\":3,\"document\":\"{\\\"a\\\":\\\"b\\\\\\\"c\\\"}\"}");
    assertThat(SloRecord.key("checkout-availability")).isEqualTo("checkout-availability".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsBackWhatItWrote() {
    SloRecord record = new SloRecord("checkout-availability", "payments", 7, DOCUMENT);
    assertThat(SloRecord.fromJson(record.toJson())).isEqualTo(record);
  }

  @Test
  void skipsFieldsANewerWriterAdded() {
    byte[] value = ("{\"name\":\"a\",\"extra\":{\"x\":[1,2]},\"team\":\"t\",\"version\":1,\"document\":\"{}\"}")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(SloRecord.fromJson(value)).isEqualTo(new SloRecord("a", "t", 1, "{}"));
  }

  @Test
  void namesWhatIsWrongWithABrokenEnvelope() {
    assertThatThrownBy(() -> SloRecord.fromJson(null)).hasMessageContaining("tombstone");
    assertThatThrownBy(() -> SloRecord.fromJson("[]".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("SLO record must be a JSON object");
    assertThatThrownBy(() -> SloRecord.fromJson("{\"name\":\"a\",\"team\":\"t\",\"version\":\"1\",\"document\":\"{}\"}"
        .getBytes(StandardCharsets.UTF_8))).hasMessage("SLO record field version must be an integer, was VALUE_STRING");
    assertThatThrownBy(() -> SloRecord.fromJson("{\"name\":\"a\",\"team\":\"t\",\"version\":0,\"document\":\"{}\"}"
        .getBytes(StandardCharsets.UTF_8))).hasMessage("version must be at least 1, was 0");
    assertThatThrownBy(() -> SloRecord.fromJson("{\"name\":\"a\"".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("SLO record is not valid JSON");
  }

  @Test
  void theDocumentItCarriesIsReadByTheOpenSloReader() {
    String document = "{\"apiVersion\":\"openslo/v1\",\"kind\":\"SLO\",\"metadata\":{\"labels\":{\"team\":\"payments\"},"
        + "\"name\":\"checkout-availability\"},\"spec\":{\"budgetingMethod\":\"Occurrences\",\"indicator\":{\"spec\":"
        + "{\"ratioMetric\":{\"good\":{\"metricSource\":{\"spec\":{\"outcome\":\"success\",\"service\":\"checkout\"},"
        + "\"type\":\"nines.spans\"}},\"total\":{\"metricSource\":{\"spec\":{\"service\":\"checkout\"},"
        + "\"type\":\"nines.spans\"}}}}},\"objectives\":[{\"target\":0.999}],\"service\":\"checkout\","
        + "\"timeWindow\":[{\"duration\":\"30d\",\"isRolling\":true}]}}";
    SloRecord record = SloRecord.fromJson(new SloRecord("checkout-availability", "payments", 1, document).toJson());
    assertThat(new OpenSloReader().read(record.document()).get(0).target()).isEqualTo(0.999);
  }
}
