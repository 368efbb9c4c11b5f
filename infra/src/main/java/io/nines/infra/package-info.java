/** Runs the platform on one machine. */
package io.nines.infra;
