package io.nines.infra.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.core.alerting.AlertRule;
import io.nines.core.slo.Budgeting;
import io.nines.core.slo.OpenSloReader;
import io.nines.core.slo.SloDefinition;
import io.nines.core.slo.TimeWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The SLOs `./nines up` loads for the demo are valid and cover what a newcomer should see. */
class DemoSlosTest {

  @Test
  void demoSlosAreValidAndShowEveryKindOfObjective() throws IOException {
    List<SloDefinition> slos = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("demo", "slos"))) {
      for (Path file : files.sorted().toList()) {
        slos.addAll(new OpenSloReader().read(Files.readString(file)));
      }
    }
    assertThat(slos).extracting(SloDefinition::name).containsExactlyInAnyOrder("checkout-availability",
        "checkout-latency", "payments-availability", "search-routes", "catalog-latency-slices");
    assertThat(slos).anySatisfy(slo -> assertThat(slo.groupBy()).isPresent());
    assertThat(slos).anySatisfy(slo -> assertThat(slo.window()).isInstanceOf(TimeWindow.Calendar.class));
    assertThat(slos).anySatisfy(slo -> assertThat(slo.budgeting().method()).isEqualTo(Budgeting.Method.TIMESLICES));
    assertThat(slos).filteredOn(slo -> slo.name().equals("payments-availability")).singleElement()
        .satisfies(slo -> assertThat(slo.alertPolicy().custom()).extracting(AlertRule::name).containsExactly(
            "burnrate>=14.4 over 1h and 5m", "burnrate>=6 over 6h and 30m", "p99>1000ms over 5m"));
  }
}
