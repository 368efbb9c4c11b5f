package io.nines.streaming.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.streaming.otlp.SpanEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WithoutAttributesTest {

    @Test
    void keepsEverythingTheLatencyMinutesNeedAndDropsTheAttributes() {
        SpanEvent span = new SpanEvent("cart", "GET /cart", 1_764_411_342_123L, 12_345_678L, true,
                1_764_411_350_000L, Map.of("http.route", "/cart", "deployment.environment.name", "production"));

        assertThat(new WithoutAttributes().map(span))
                .isEqualTo(new SpanEvent("cart", "GET /cart", 1_764_411_342_123L, 12_345_678L, true,
                        1_764_411_350_000L, Map.of()));
    }

    @Test
    void passesASpanWithoutAttributesAsItIs() {
        SpanEvent span = new SpanEvent("cart", "GET /cart", 1_764_411_342_123L, 12.5, false);

        assertThat(new WithoutAttributes().map(span)).isSameAs(span);
    }
}
