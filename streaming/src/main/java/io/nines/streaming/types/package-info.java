/** Flink type information for the module's own types, carried with their hand-written serializers. */
package io.nines.streaming.types;
