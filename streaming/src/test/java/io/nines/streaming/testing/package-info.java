/** Builders of OTLP test input shared by the module's tests. */
package io.nines.streaming.testing;
