package io.nines.query.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nines.core.slo.InvalidSloException;
import io.nines.core.slo.OpenSloReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloDocumentsTest {

    private static final String BLOCK = """
            apiVersion: openslo/v1
            kind: SLO
            metadata:
              name: checkout-availability
              labels:
                team: payments
            spec:
              service: checkout
              indicator:
                spec:
                  ratioMetric:
                    good: {metricSource: {type: nines.spans, spec: {service: checkout, outcome: success}}}
                    total: {metricSource: {type: nines.spans, spec: {service: checkout}}}
              timeWindow: [{duration: 30d, isRolling: true}]
              budgetingMethod: Occurrences
              objectives: [{target: 0.999}]
            """;

    private static final String REORDERED = """
            spec:
              objectives:
              - target: 0.999
              budgetingMethod: Occurrences
              timeWindow:
              - isRolling: true
                duration: 30d
              indicator: {spec: {ratioMetric: {total: {metricSource: {spec: {service: checkout}, type: nines.spans}},
                good: {metricSource: {type: nines.spans, spec: {outcome: success, service: checkout}}}}}}
              service: checkout
            metadata: {labels: {team: payments}, name: checkout-availability}
            kind: SLO
            apiVersion: openslo/v1
            """;

    private final SloDocuments documents = new SloDocuments();

    @Test
    void textsThatMeanTheSameDocumentHaveTheSameCanonicalJson() {
        String canonical = documents.read(BLOCK).get(0).canonicalJson();
        assertThat(documents.read(REORDERED).get(0).canonicalJson()).isEqualTo(canonical);
        assertThat(canonical).startsWith("{\"apiVersion\":\"openslo/v1\",\"kind\":\"SLO\",\"metadata\":{\"labels\":"
                + "{\"team\":\"payments\"},\"name\":\"checkout-availability\"},\"spec\":{\"budgetingMethod\":");
    }

    @Test
    void inlinesTheSliAnSloRefersTo() {
        String text = """
                apiVersion: openslo/v1
                kind: SLI
                metadata: {name: checkout-success}
                spec:
                  ratioMetric:
                    good: {metricSource: {type: nines.spans, spec: {service: checkout, outcome: success}}}
                    total: {metricSource: {type: nines.spans, spec: {service: checkout}}}
                ---
                """ + BLOCK.replaceAll("(?s)  indicator:.*?  timeWindow", "  indicatorRef: checkout-success\n  timeWindow");

        SloDocuments.SloDocument slo = documents.read(text).get(0);

        assertThat(slo.canonicalJson()).doesNotContain("indicatorRef")
                .contains("\"indicator\":{\"metadata\":{\"name\":\"checkout-success\"},\"spec\":{\"ratioMetric\":");
        assertThat(new OpenSloReader().read(slo.canonicalJson())).containsExactly(slo.definition());
    }

    @Test
    void readsAJsonArrayAsSeveralDocumentsAndNamesTheBrokenOne() {
        String one = documents.read(BLOCK).get(0).canonicalJson();
        String two = one.replace("checkout-availability", "checkout-two");
        assertThat(documents.read("[" + one + "," + two + "]")).extracting(d -> d.definition().name())
                .containsExactly("checkout-availability", "checkout-two");

        InvalidSloException e = catchThrowableOfType(InvalidSloException.class,
                () -> documents.read("[" + one + "," + two.replace("0.999", "1.5") + "]"));
        assertThat(e.violations()).extracting(InvalidSloException.Violation::path)
                .containsExactly("documents[1].spec.objectives[0].target");
    }

    @Test
    void refusesTheSameNameTwiceInOneRequest() {
        InvalidSloException e = catchThrowableOfType(InvalidSloException.class,
                () -> documents.read(BLOCK + "---\n" + REORDERED));
        assertThat(e.violations()).containsExactly(new InvalidSloException.Violation("documents[1].metadata.name",
                "names 'checkout-availability' a second time in one request"));
    }

    @Test
    void writesYamlThatEveryYamlReaderTakesAsWritten() {
        String yaml = SloDocuments.toYaml(documents.read("""
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: monthly, labels: {team: payments}, displayName: "yes"}
                spec:
                  service: checkout
                  indicator:
                    spec:
                      thresholdMetric: {metricSource: {type: nines.spans, spec: {service: checkout, operation: "123"}}}
                  timeWindow: [{duration: 1M, isRolling: false, calendar: {startTime: "2026-01-01 00:00:00", timeZone: UTC}}]
                  budgetingMethod: Occurrences
                  objectives: [{op: lte, value: 287, target: 0.99}]
                """).get(0).canonicalJson());

        assertThat(yaml).contains("startTime: \"2026-01-01 00:00:00\"", "displayName: \"yes\"", "operation: \"123\"",
                "value: 287", "target: 0.99");
        assertThat(List.of(yaml.split("\n"))).first().isEqualTo("apiVersion: openslo/v1");
    }
}
