package io.nines.infra.demo;

import io.nines.infra.demo.LatencyModel.Component;
import io.nines.infra.demo.LatencyModel.LogNormal;
import io.nines.infra.demo.LatencyModel.Mixture;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The simulated services and how often each entry point is called.
 *
 * @param entries the endpoints that clients call directly, with relative weights
 */
record Topology(List<Entry> entries) {

    Topology {
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("entries must not be empty");
        }
        entries = List.copyOf(entries);
    }

    /** Every service reached from an entry point, in name order. */
    Set<String> services() {
        Set<String> services = new TreeSet<>();
        Deque<Endpoint> pending = new ArrayDeque<>();
        entries.forEach(entry -> pending.push(entry.endpoint()));
        while (!pending.isEmpty()) {
            Endpoint endpoint = pending.pop();
            services.add(endpoint.service());
            endpoint.downstream().forEach(pending::push);
        }
        return services;
    }

    /** An entry point and its share of the traffic. */
    record Entry(Endpoint endpoint, double weight) {

        Entry {
            Objects.requireNonNull(endpoint, "endpoint");
            if (!(weight > 0)) {
                throw new IllegalArgumentException("weight must be > 0 but was " + weight);
            }
        }
    }

    /**
     * A small shop. Checkout calls catalog and payments, so its end-to-end latency (median about 120 ms,
     * p99 about 600 ms) and errors (about 0.3 %) include theirs, and an incident in payments shows in checkout.
     */
    static Topology shop() {
        Endpoint catalog = new Endpoint("catalog", "GET", "/products/{id}", new LogNormal(15, 60), 0.0005, List.of());
        Endpoint payments = new Endpoint("payments", "POST", "/charge",
                new Mixture(List.of(
                        new Component(0.975, new LogNormal(80, 220)),
                        // card networks sometimes take their time
                        new Component(0.025, new LogNormal(500, 1500)))),
                0.001, List.of());
        Endpoint checkout = new Endpoint("checkout", "POST", "/checkout", new LogNormal(15, 100), 0.0015,
                List.of(catalog, payments));
        Endpoint search = new Endpoint("search", "GET", "/search",
                new Mixture(List.of(
                        new Component(0.7, new LogNormal(5, 12)),
                        new Component(0.3, new LogNormal(200, 450)))),
                0.0005, List.of());
        return new Topology(List.of(new Entry(checkout, 2), new Entry(catalog, 4), new Entry(search, 4)));
    }
}
