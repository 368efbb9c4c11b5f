/** API tokens, teams and roles: who is calling, and what they may do. */
package io.nines.query.auth;
