/** Shared domain code of Nines. */
package io.nines.core;
