package io.nines.streaming.job;

import io.nines.core.alerting.AlertTransition;
import io.nines.streaming.alerting.AlertTransitionSerializer;
import io.nines.streaming.alerting.BySlo;
import io.nines.streaming.alerting.EvaluateAlerts;
import io.nines.streaming.types.SerializerTypeInfo;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The alerting part of the job: SLO events keyed by SLO, with the broadcast definitions, evaluated into alert
 * transitions, which go to Kafka ({@code nines.alerts}) and to ClickHouse ({@code alert_events}).
 *
 * <pre>
 * SLO events -> keyBy(slo) -> evaluate alerts (10 s panes, event-time timers) -> alerts topic
 * definitions (broadcast) --^                                                \-> alert_events
 * </pre>
 *
 * <p>Operator uids are part of the savepoint format: never change one once released.
 */
public final class AlertJob {

    private AlertJob() {
    }

    /** Where alert transitions go. */
    public record Sinks(Sink<AlertTransition> topic, Sink<AlertTransition> table) {
        public Sinks {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(table, "table");
        }
    }

    /** Adds alerting downstream of the SLO part. */
    public static SingleOutputStreamOperator<AlertTransition> attach(SloJob.Outputs slos, Sinks sinks) {
        SingleOutputStreamOperator<AlertTransition> transitions = slos.events()
                .keyBy(new BySlo())
                .connect(slos.definitions())
                .process(new EvaluateAlerts(),
                        new SerializerTypeInfo<>(AlertTransition.class, AlertTransitionSerializer::new))
                .name("evaluate alerts").uid("evaluate-alerts");
        transitions.sinkTo(sinks.topic()).name("alerts topic").uid("alerts-topic-sink");
        transitions.sinkTo(sinks.table()).name("alert_events").uid("alert-events-sink");
        return transitions;
    }
}
