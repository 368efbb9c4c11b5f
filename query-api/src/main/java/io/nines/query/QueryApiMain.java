package io.nines.query;

import io.nines.query.auth.AdminTokenFile;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the query API: see {@link QueryApiConfig} for the options. */
public final class QueryApiMain {

    private static final Logger LOG = LoggerFactory.getLogger(QueryApiMain.class);

    private QueryApiMain() {}

    public static void main(String[] args) {
        QueryApi api;
        QueryApiConfig config;
        try {
            config = QueryApiConfig.load(args, System.getenv());
            LOG.info("starting with {}", config);
            api = QueryApi.start(config, InstantSource.system());
        } catch (RuntimeException e) {
            LOG.error("Query API failed to start: {}", e.getMessage(), e);
            System.err.println("Query API failed to start: " + e.getMessage());
            // Jetty or pool threads may already run; without exit a failed start would hang instead of failing.
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "query-api-shutdown"));
        QueryApiConfig started = config;
        api.adminToken().filter(AdminTokenFile.Outcome::created).ifPresent(outcome -> System.out.println(
                "Admin token written to " + started.auth().adminTokenFile().orElseThrow() + " (id " + outcome.tokenId()
                        + ")"));
        System.out.println("Query API ready on " + api.url());
    }
}
