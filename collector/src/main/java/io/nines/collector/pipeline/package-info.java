/** Turns decoded (or only scanned) OTLP requests into keyed records and hands them to a sink, independent of transport. */
package io.nines.collector.pipeline;
