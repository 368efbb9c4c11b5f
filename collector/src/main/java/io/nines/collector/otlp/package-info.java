/** The OTLP/HTTP receiver: decodes export requests and answers as the OTLP specification asks. */
package io.nines.collector.otlp;
