package io.nines.infra.demo;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** How long an operation takes, drawn from a distribution shaped like real service latency. */
sealed interface LatencyModel {

    /** z-score of the 99th percentile of the standard normal distribution. */
    double Z_99 = 2.3263478740408408;

    double sampleMillis(RandomGenerator random);

    /**
     * Log-normal latency given by its median and 99th percentile, the two numbers people quote for a service.
     */
    record LogNormal(double medianMillis, double p99Millis) implements LatencyModel {

        public LogNormal {
            if (!(medianMillis > 0)) {
                throw new IllegalArgumentException("medianMillis must be > 0 but was " + medianMillis);
            }
            if (!(p99Millis > medianMillis)) {
                throw new IllegalArgumentException(
                        "p99Millis must be > medianMillis (" + medianMillis + ") but was " + p99Millis);
            }
        }

        double sigma() {
            return Math.log(p99Millis / medianMillis) / Z_99;
        }

        @Override
        public double sampleMillis(RandomGenerator random) {
            return medianMillis * Math.exp(sigma() * random.nextGaussian());
        }
    }

    /** One of several behaviours, such as a cache hit or miss, or a slow tail of retries and lock waits. */
    record Mixture(List<Component> components) implements LatencyModel {

        public Mixture {
            Objects.requireNonNull(components, "components");
            if (components.isEmpty()) {
                throw new IllegalArgumentException("components must not be empty");
            }
            components = List.copyOf(components);
        }

        @Override
        public double sampleMillis(RandomGenerator random) {
            double total = components.stream().mapToDouble(Component::weight).sum();
            double pick = random.nextDouble() * total;
            for (Component component : components) {
                pick -= component.weight();
                if (pick < 0) {
                    return component.model().sampleMillis(random);
                }
            }
            return components.get(components.size() - 1).model().sampleMillis(random);
        }
    }

    /** A behaviour of a {@link Mixture} and its relative weight. */
    record Component(double weight, LatencyModel model) {

        public Component {
            Objects.requireNonNull(model, "model");
            if (!(weight > 0)) {
                throw new IllegalArgumentException("weight must be > 0 but was " + weight);
            }
        }
    }
}
