/** Demo traffic: simulated services that send realistic spans over OTLP/HTTP so the platform fills. */
package io.nines.infra.demo;
