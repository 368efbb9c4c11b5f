/** The collector's own metrics and health, served for Prometheus and for probes. */
package io.nines.collector.telemetry;
