package io.nines.query;

/** OpenSLO documents for the tests, the DESIGN examples and variations of them. */
final class SloDocs {

    private SloDocs() {}

    /** The availability example of DESIGN.md with another name, team, target and window. */
    static String availability(String name, String team, String service, double target, String window) {
        return """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: %s, labels: {team: %s}}
                spec:
                  service: %s
                  indicator:
                    metadata: {name: %s-success}
                    spec:
                      ratioMetric:
                        counter: true
                        good:  {metricSource: {type: nines.spans, spec: {service: %s, outcome: success}}}
                        total: {metricSource: {type: nines.spans, spec: {service: %s}}}
                  timeWindow: [{duration: %s, isRolling: true}]
                  budgetingMethod: Occurrences
                  objectives: [{displayName: availability, target: %s}]
                """.formatted(name, team, service, name, service, service, window, target);
    }

    static String availability(String name, double target) {
        return availability(name, "payments", "checkout", target, "30d");
    }

    /** The calendar latency example of DESIGN.md: a month in Europe/Berlin. */
    static String monthlyLatency(String name) {
        return """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: %s, labels: {team: payments}}
                spec:
                  service: checkout
                  indicator:
                    metadata: {name: checkout-fast}
                    spec:
                      thresholdMetric:
                        metricSource: {type: nines.spans, spec: {service: checkout, operation: "POST /checkout"}}
                  timeWindow: [{duration: 1M, isRolling: false, calendar: {startTime: "2026-01-01 00:00:00", timeZone: Europe/Berlin}}]
                  budgetingMethod: Occurrences
                  objectives: [{op: lte, value: 287, target: 0.99}]
                """.formatted(name);
    }

    /** One budget per route over 7 days. */
    static String grouped(String name) {
        return """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: %s, labels: {team: discovery}}
                spec:
                  service: search
                  indicator:
                    spec:
                      ratioMetric:
                        good:  {metricSource: {type: nines.spans, spec: {service: search, outcome: success}}}
                        total: {metricSource: {type: nines.spans, spec: {service: search}}}
                  timeWindow: [{duration: 7d, isRolling: true}]
                  budgetingMethod: Occurrences
                  objectives: [{target: 0.99}]
                  nines: {groupBy: http.route, maxGroups: 50}
                """.formatted(name);
    }

    /** 99 % of the 5-minute slices of a day must have 95 % good events. */
    static String timeslices(String name) {
        return """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: %s, labels: {team: payments}}
                spec:
                  service: checkout
                  indicator:
                    spec:
                      ratioMetric:
                        good:  {metricSource: {type: nines.spans, spec: {service: checkout, outcome: success}}}
                        total: {metricSource: {type: nines.spans, spec: {service: checkout}}}
                  timeWindow: [{duration: 1d, isRolling: true}]
                  budgetingMethod: Timeslices
                  objectives: [{target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: 5m}]
                """.formatted(name);
    }
}
