package io.nines.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTelemetryTest {

    @Test
    void quotesLogfmtValuesThatCouldBreakTheLineAndLeavesPlainOnesBare() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("route", "/api/v1/slos/{name}/status");
        fields.put("status", 200);
        fields.put("team", "a b=\"c\"\\");
        fields.put("empty", "");
        fields.put("forged", "x\nrequestId=evil");

        assertThat(RequestTelemetry.logfmt(fields)).isEqualTo("route=/api/v1/slos/{name}/status status=200"
                + " team=\"a b=\\\"c\\\"\\\\\" empty=\"\" forged=\"x\\nrequestId=evil\"");
    }
}
