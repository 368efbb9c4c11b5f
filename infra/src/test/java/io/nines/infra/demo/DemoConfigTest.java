package io.nines.infra.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

    @Test
    void defaultsTo50SpansPerSecondToTheLocalCollectorWithoutIncidents() {
        DemoConfig config = DemoConfig.from(new String[0], Map.of());

        assertThat(config.tracesUrl()).isEqualTo(URI.create("http://127.0.0.1:4318/v1/traces"));
        assertThat(config.spansPerSecond()).isEqualTo(50.0);
        assertThat(config.incident()).isEmpty();
        assertThat(config.seed()).isEqualTo(42L);
        assertThat(config.runFor()).isEqualTo(Duration.ZERO);
    }

    @Test
    void takesArgumentsOverEnvironment() {
        DemoConfig config = DemoConfig.from(
                new String[] {"--endpoint=http://collector:4318/", "--incident-every=10"},
                Map.of("NINES_DEMO_RATE", "200", "NINES_DEMO_ENDPOINT", "http://ignored:1"));

        assertThat(config.tracesUrl()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
        assertThat(config.spansPerSecond()).isEqualTo(200.0);
        assertThat(config.incident()).hasValueSatisfying(incident -> {
            assertThat(incident.service()).isEqualTo("payments");
            assertThat(incident.every()).isEqualTo(Duration.ofMinutes(10));
            assertThat(incident.length()).isEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void refusesBadValuesByName() {
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"--rate=0"}, Map.of()))
                .hasMessage("rate must be in (0, 100000] spans/s but was 0.0");
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"--endpoint=ftp://x"}, Map.of()))
                .hasMessage("endpoint must be an http or https URL but was ftp://x/v1/traces");
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"--incident-every=1", "--incident-length=90"}, Map.of()))
                .hasMessage("length must be positive and shorter than every (PT1M) but was PT1M30S");
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"--speed=3"}, Map.of()))
                .hasMessageStartingWith("unknown option --speed");
    }
}
