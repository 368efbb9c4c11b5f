/** How every deployable reads its settings: --key=value arguments, then NINES_* variables, then defaults. */
package io.nines.core.config;
