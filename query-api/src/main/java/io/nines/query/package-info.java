/** The HTTP API. */
package io.nines.query;
