/** Assembly of the streaming job from its parts, with sources and sinks given by the caller. */
package io.nines.streaming.job;
