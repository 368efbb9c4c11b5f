/** Dashboards. */
package io.nines.dashboards;
