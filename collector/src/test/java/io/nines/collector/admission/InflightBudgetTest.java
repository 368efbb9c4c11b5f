package io.nines.collector.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InflightBudgetTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InflightBudget budget = new InflightBudget(1000, 2, registry);

    @Test
    void admitsUpToTheRequestLimitAndTakesBackClosedLeases() {
        Optional<InflightBudget.Lease> first = budget.admit();
        Optional<InflightBudget.Lease> second = budget.admit();

        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(budget.admit()).isEmpty();
        assertThat(registry.get("nines.collector.inflight.requests").gauge().value()).isEqualTo(2);

        first.get().close();
        first.get().close();
        assertThat(registry.get("nines.collector.inflight.requests").gauge().value()).isEqualTo(1);
        assertThat(budget.admit()).isPresent();
    }

    @Test
    void reservesBytesUntilTheLimitAndReleasesThemOnClose() {
        InflightBudget.Lease lease = budget.admit().orElseThrow();
        InflightBudget.Lease other = budget.admit().orElseThrow();

        assertThat(lease.reserve(600)).isTrue();
        assertThat(other.reserve(401)).isFalse();
        assertThat(other.reserve(400)).isTrue();
        assertThat(budget.bytesInUse()).isEqualTo(1000);
        assertThat(registry.get("nines.collector.inflight.bytes").gauge().value()).isEqualTo(1000);

        lease.close();
        assertThat(budget.bytesInUse()).isEqualTo(400);
        other.close();
        assertThat(budget.bytesInUse()).isZero();
    }
}
