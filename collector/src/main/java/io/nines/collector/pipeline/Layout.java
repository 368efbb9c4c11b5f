package io.nines.collector.pipeline;

import com.google.protobuf.Message;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;

/**
 * How one signal's export request is built. All three share OTLP's shape: field 1 of the request is the
 * repeated resource, field 2 of a resource its scopes, field 2 of a scope its items (spans, metrics, log
 * records); the encoder relies on that to cut records from the wire bytes and to split large resources.
 *
 * @param <R>  the export request
 * @param <RS> its per-resource message
 */
interface Layout<R extends Message, RS extends Message> {

    List<RS> resources(R request);

    Resource resource(RS resource);

    /** Items in a resource, as OTLP counts them. */
    int items(RS resource);

    /** Items in one element of a scope (a span is one; a metric counts its data points). */
    int elementItems(Message scopeElement);

    R wrap(RS resource);
}
