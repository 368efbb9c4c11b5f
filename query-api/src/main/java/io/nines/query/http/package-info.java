/** The HTTP surface: routes, parameter parsing, problem+json errors, request logs and metrics. */
package io.nines.query.http;
