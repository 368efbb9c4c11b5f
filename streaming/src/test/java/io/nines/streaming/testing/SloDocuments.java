package io.nines.streaming.testing;

import io.nines.core.slo.SloRecord;

/** OpenSLO documents as the API publishes them to the definitions topic, in OpenSLO's flow-style YAML. */
public final class SloDocuments {

    private SloDocuments() {
    }

    /**
     * An availability SLO: good = the span succeeded.
     *
     * @param selector extra metric source fields, e.g. {@code operation: "POST /checkout"}, or ""
     * @param nines the {@code spec.nines} mapping, e.g. {@code {groupBy: http.route, maxGroups: 2}}, or ""
     */
    public static String availability(String name, String service, String selector, String nines) {
        String extra = selector.isEmpty() ? "" : ", " + selector;
        return head(name, service)
                + "  indicator:\n"
                + "    spec:\n"
                + "      ratioMetric:\n"
                + "        counter: true\n"
                + "        good: {metricSource: {type: nines.spans, spec: {service: " + service + ", outcome: success"
                + extra + "}}}\n"
                + "        total: {metricSource: {type: nines.spans, spec: {service: " + service + extra + "}}}\n"
                + tail("[{target: 0.99}]", nines);
    }

    /**
     * A latency SLO: good = the span took at most ({@code lte}) or under ({@code lt}) {@code value} ms, and
     * succeeded too when {@code requireSuccess}.
     */
    public static String latency(String name, String service, String selector, String op, String value,
                                 boolean requireSuccess, String nines) {
        String extra = (selector.isEmpty() ? "" : ", " + selector) + (requireSuccess ? ", outcome: success" : "");
        return head(name, service)
                + "  indicator:\n"
                + "    spec:\n"
                + "      thresholdMetric:\n"
                + "        metricSource: {type: nines.spans, spec: {service: " + service + extra + "}}\n"
                + tail("[{op: " + op + ", value: " + value + ", target: 0.99}]", nines);
    }

    /** The definitions topic's record value for {@code document}. */
    public static byte[] record(String name, long version, String document) {
        return new SloRecord(name, "payments", version, document).toJson();
    }

    private static String head(String name, String service) {
        return "apiVersion: openslo/v1\n"
                + "kind: SLO\n"
                + "metadata: {name: " + name + ", labels: {team: payments}}\n"
                + "spec:\n"
                + "  service: " + service + "\n";
    }

    private static String tail(String objectives, String nines) {
        return "  timeWindow: [{duration: 30d, isRolling: true}]\n"
                + "  budgetingMethod: Occurrences\n"
                + "  objectives: " + objectives + "\n"
                + (nines.isEmpty() ? "" : "  nines: " + nines + "\n");
    }
}
