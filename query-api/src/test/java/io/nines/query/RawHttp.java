package io.nines.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Requests that no well-behaved client sends (a bad percent escape, a header section over the limit, a
 * Content-Length out of range), written byte for byte on a socket, and the answers read as they come.
 */
final class RawHttp {

    /** One answer; {@code headers} as sent, "Name: value". */
    record Answer(int status, List<String> headers, String body) {
        Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).strip()).findFirst();
        }

        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    private RawHttp() {}

    /** Sends {@code request} as it is, then reads answers until the server closes or {@code answers} came. */
    static List<Answer> send(URI base, String request, int answers) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            List<Answer> read = new ArrayList<>();
            while (read.size() < answers) {
                Answer answer = read(in);
                if (answer == null) {
                    break;
                }
                read.add(answer);
            }
            return read;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code request}, then closes the sending side, as a client that gives up in the middle of its body. */
    static Answer sendAndHalfClose(URI base, String request) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput();
            Answer answer = read(socket.getInputStream());
            if (answer == null) {
                throw new AssertionError("the server closed the connection without an answer");
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer send(URI base, String request) {
        List<Answer> answers = send(base, request, 1);
        if (answers.isEmpty()) {
            throw new AssertionError("the server closed the connection without an answer");
        }
        return answers.get(0);
    }

    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return null;
        }
        List<String> headers = new ArrayList<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            headers.add(line);
        }
        Answer head = new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers, "");
        byte[] body;
        if (head.header("Content-Length").isPresent()) {
            body = in.readNBytes(Integer.parseInt(head.header("Content-Length").get()));
        } else if (head.header("Transfer-Encoding").filter(te -> te.equalsIgnoreCase("chunked")).isPresent()) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0;
                    size = Integer.parseInt(line(in).strip(), 16)) {
                chunks.write(in.readNBytes(size));
                line(in);
            }
            line(in);
            body = chunks.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Answer(head.status(), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** A line without its CRLF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
