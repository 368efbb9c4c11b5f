/** The Flink job. */
package io.nines.streaming;
