/** The streaming job's entry point: reads its configuration once, wires the parts, starts the job. */
package io.nines.streaming;
