package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryOptionsTest {

    @Test
    void deliversFromTheDefaultTopicUnlessTurnedOff() {
        QueryApiConfig defaults = QueryApiConfig.load(new String[0], Map.of());
        assertThat(defaults.delivery().enabled()).isTrue();
        assertThat(defaults.delivery().topic()).isEqualTo("nines.alerts");
        assertThat(defaults.delivery().group()).isEqualTo("nines-delivery");
        assertThat(defaults.delivery().externalUrl()).isEqualTo("http://127.0.0.1:8080");

        QueryApiConfig off = QueryApiConfig.load(new String[] {"--delivery=off", "--alerts-topic=team.alerts",
            "--external-url=https://nines.example.com"}, Map.of());
        assertThat(off.delivery().enabled()).isFalse();
        assertThat(off.delivery().topic()).isEqualTo("team.alerts");
        assertThat(off.delivery().externalUrl()).isEqualTo("https://nines.example.com");
    }

    @Test
    void refusesAnythingButOnOrOff() {
        assertThatThrownBy(() -> QueryApiConfig.load(new String[] {"--delivery=maybe"}, Map.of()))
                .hasMessage("--delivery must be on or off, was 'maybe'");
    }
}
