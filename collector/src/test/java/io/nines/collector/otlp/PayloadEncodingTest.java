package io.nines.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadEncodingTest {

    @Test
    void recognisesProtobufWithParametersAndAnyCase() {
        assertThat(PayloadEncoding.of("application/x-protobuf")).contains(PayloadEncoding.PROTOBUF);
        assertThat(PayloadEncoding.of("Application/X-Protobuf; charset=binary")).contains(PayloadEncoding.PROTOBUF);
        assertThat(PayloadEncoding.of("application/protobuf")).contains(PayloadEncoding.PROTOBUF);
    }

    @Test
    void recognisesJsonWithACharset() {
        assertThat(PayloadEncoding.of("application/json")).contains(PayloadEncoding.JSON);
        assertThat(PayloadEncoding.of("application/json; charset=utf-8")).contains(PayloadEncoding.JSON);
    }

    @Test
    void knowsNothingElse() {
        assertThat(PayloadEncoding.of(null)).isEmpty();
        assertThat(PayloadEncoding.of("text/plain")).isEmpty();
        assertThat(PayloadEncoding.of("application/x-ndjson")).isEmpty();
    }
}
