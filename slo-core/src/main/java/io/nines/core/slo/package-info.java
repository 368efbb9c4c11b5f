/** SLO definitions: the OpenSLO v1 model Nines computes, and its YAML/JSON reader with precise errors. */
package io.nines.core.slo;
