package io.crmroute.crmhttp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy on 127.0.0.1 on plain sockets: {@code CONNECT host:port} opens a tunnel, an absolute-form
 * request is passed on in origin form. It records each request line and its {@code Proxy-Authorization},
 * and forwards to 127.0.0.1 only, whatever host was named.
 */
final class TestConnectProxy implements AutoCloseable {

    /** What the proxy was asked: the request line and the Proxy-Authorization header ("" when none). */
    record Asked(String requestLine, String authorization) {}

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Asked> asked = new CopyOnWriteArrayList<>();

    TestConnectProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptAll);
    }

    int port() {
        return server.getLocalPort();
    }

    List<Asked> asked() {
        return asked;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            List<String> head = head(client.getInputStream());
            if (head.isEmpty()) return;
            String authorization = head.stream().filter(line -> line.regionMatches(true, 0, "Proxy-Authorization:", 0, 20))
                    .map(line -> line.substring(20).strip()).findFirst().orElse("");
            asked.add(new Asked(head.get(0), authorization));
            String[] requestLine = head.get(0).split(" ");
            OutputStream toClient = client.getOutputStream();
            if (requestLine[0].equals("CONNECT")) {
                int port = Integer.parseInt(requestLine[1].substring(requestLine[1].lastIndexOf(':') + 1));
                try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    toClient.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    toClient.flush();
                    pipe(client, upstream);
                }
                return;
            }
            URI target = URI.create(requestLine[1]);
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target.getPort())) {
                StringBuilder passed = new StringBuilder(requestLine[0] + " " + target.getRawPath()
                        + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()) + " " + requestLine[2] + "\r\n");
                head.stream().skip(1).filter(line -> !line.regionMatches(true, 0, "Proxy-", 0, 6))
                        .forEach(line -> passed.append(line).append("\r\n"));
                upstream.getOutputStream().write(passed.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                pipe(client, upstream);
            }
        } catch (IOException ended) {
            // either side closed
        }
    }

    /** Copies both ways until one side closes. */
    private void pipe(Socket client, Socket upstream) throws IOException {
        threads.execute(() -> {
            try {
                client.getInputStream().transferTo(upstream.getOutputStream());
            } catch (IOException ended) {
                // closed
            } finally {
                try {
                    upstream.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
        upstream.getInputStream().transferTo(client.getOutputStream());
    }

    /** The request head's lines, read a byte at a time so nothing after it is taken from the stream. */
    private static List<String> head(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII).stripTrailing();
                if (text.isEmpty()) return lines;
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return List.of();
    }
}
