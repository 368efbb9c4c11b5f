/** SLO status and history: SLIs, error budgets and burn rates computed from the stored SLO minutes. */
package io.nines.query.status;
