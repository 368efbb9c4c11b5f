package io.nines.collector;

import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A collector with the {@link TestConfigs} settings, started before and closed after each test, writing spans to
 * a topic of its own ({@code topic}, with {@code topic_metrics} and {@code topic_logs}).
 */
@ExtendWith(NinesInfra.class)
abstract class WithRunningCollector {

    final EmbeddedKafka kafka;
    final String topic;
    RunningCollector collector;

    WithRunningCollector(EmbeddedKafka kafka, String topicPrefix) {
        this.kafka = kafka;
        this.topic = NinesInfra.uniqueName(topicPrefix);
    }

    @BeforeEach
    void startCollector() throws Exception {
        collector = CollectorMain.start(TestConfigs.collector(kafka.bootstrapServers(), topic));
    }

    @AfterEach
    void stopCollector() {
        collector.close();
    }
}
