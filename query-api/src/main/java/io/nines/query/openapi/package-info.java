/** The OpenAPI 3.1 document, built from the same route table that registers the routes. */
package io.nines.query.openapi;
