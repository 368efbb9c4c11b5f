/** Test harness that starts the embedded parts. */
package io.nines.infra.testing;
