package io.nines.query.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers as RFC 9457 problems: requests that never reach a route because Jetty refused them
 * (a header section over the limit, a Content-Length out of range, a malformed request line or URI). Jetty's
 * default writes an HTML page, or JSON of its own shape; a client of this API should parse one kind of error.
 * Problems that reach a route are answered by {@link Problems}.
 */
final class ServerErrors extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Jetty's reasons are its own fixed texts; the cap keeps a future one that echoes input from being long. */
    private static final int MAX_DETAIL = 200;
    /** The path Jetty gives a request whose URI it could not parse: not the client's, so not worth naming. */
    private static final String UNPARSED = "/badMessage";

    /** Errors of a parsed request that failed before or outside Javalin. */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int code = response.getStatus();
        String message = (String) request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException e) {
            code = e.getCode();
            response.setStatus(code);
            if (message == null) {
                message = e.getReason();
            }
        }
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        if (HttpStatus.hasNoBody(code) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(problem(code, message, request.getHttpURI().getPath())), callback);
        return true;
    }

    /** Requests Jetty's parser refused: there may be no path to name, and the connection closes after this. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        return ByteBuffer.wrap(problem(status, reason, null));
    }

    private static byte[] problem(int code, String message, String path) {
        String title = HttpStatus.getMessage(code);
        // A 5xx from Jetty may carry an exception's text: internals stay out of the answer.
        String detail = code >= 500 || message == null || message.isBlank() || message.equals(title)
                ? explain(code, title) : clean(message);
        Problems.Problem problem = new Problems.Problem("about:blank", title, code, detail,
                path == null || path.isEmpty() || path.equals(UNPARSED) ? null : clean(path), null, null, null);
        try {
            return JSON.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem record did not serialise", e);
        }
    }

    /** What to fix, for the statuses Jetty sends without a reason of its own. */
    private static String explain(int code, String title) {
        return switch (code) {
            case 400 -> "the request could not be parsed: a malformed request line, URI (such as a bad percent"
                    + " escape), header or Content-Length";
            case 414 -> "the request URI is longer than the server accepts";
            case 431 -> "the request's header section is larger than the server accepts";
            default -> title;
        };
    }

    private static String clean(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= MAX_DETAIL ? printable : printable.substring(0, MAX_DETAIL) + "...";
    }
}
