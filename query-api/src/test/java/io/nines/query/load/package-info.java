/** The query API's load harness (run by hand, never by the test suite): see docs/benchmarks.md. */
package io.nines.query.load;
