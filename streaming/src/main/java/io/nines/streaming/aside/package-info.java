/** Sinks for what the job routes aside: logged by position and reason, never by payload. */
package io.nines.streaming.aside;
