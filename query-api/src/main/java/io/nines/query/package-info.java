/** The query API process: configuration and wiring. */
package io.nines.query;
