package io.nines.collector.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IngestTokensTest {

    private static final String TOKEN = "tok-payments-0123456789";

    @Test
    void findsTheTeamOfAKnownTokenAndNothingForOthers() {
        IngestTokens tokens = IngestTokens.parse(List.of("# token team rate", "", TOKEN + "  payments 500",
                "tok-search-0123456789ab search\t20"), "tokens");

        assertThat(tokens.size()).isEqualTo(2);
        assertThat(tokens.find(TOKEN)).map(Tenant::team).contains("payments");
        assertThat(tokens.find("tok-search-0123456789ab")).map(Tenant::team).contains("search");
        assertThat(tokens.find("tok-payments-012345678")).isEmpty();
        assertThat(tokens.find("")).isEmpty();
        assertThat(tokens.find(null)).isEmpty();
    }

    @Test
    void limitsATokenToItsRatePerSecondButLetsAnOversizedRequestTakeAWholeSecond() {
        Tenant tenant = IngestTokens.parse(List.of(TOKEN + " payments 10"), "tokens").find(TOKEN).orElseThrow();

        assertThat(tenant.tryTake(6)).isTrue();
        assertThat(tenant.tryTake(5)).isFalse();
        assertThat(tenant.tryTake(4)).isTrue();
        assertThat(tenant.tryTake(1)).isFalse();
        assertThat(tenant.tryTake(0)).isTrue();
    }

    @Test
    void refusesBadLinesNamingTheLine() {
        assertThatThrownBy(() -> IngestTokens.parse(List.of("# x", TOKEN + " payments"), "t.txt"))
                .hasMessage("t.txt line 2: expected 'token team rate' but got 2 fields");
        assertThatThrownBy(() -> IngestTokens.parse(List.of("short payments 5"), "t.txt"))
                .hasMessage("t.txt line 1: token must be at least 16 characters but was 5");
        assertThatThrownBy(() -> IngestTokens.parse(List.of(TOKEN + " pay/ments 5"), "t.txt"))
                .hasMessageStartingWith("t.txt line 1: team must match");
        assertThatThrownBy(() -> IngestTokens.parse(List.of(TOKEN + " payments fast"), "t.txt"))
                .hasMessage("t.txt line 1: rate must be an integer but was 'fast'");
        assertThatThrownBy(() -> IngestTokens.parse(List.of(TOKEN + " payments 0"), "t.txt"))
                .hasMessage("t.txt line 1: rate must be positive but was 0");
        assertThatThrownBy(() -> IngestTokens.parse(List.of(TOKEN + " a 1", TOKEN + " b 2"), "t.txt"))
                .hasMessage("t.txt line 2: token listed twice");
        assertThatThrownBy(() -> IngestTokens.parse(List.of("# nothing"), "t.txt"))
                .hasMessage("t.txt lists no tokens");
    }
}
