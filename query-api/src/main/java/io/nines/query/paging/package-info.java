/** Keyset pagination shared by every list of the API: a bounded limit, an opaque cursor, the next page's cursor. */
package io.nines.query.paging;
