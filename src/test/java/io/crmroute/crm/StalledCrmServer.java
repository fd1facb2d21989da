package io.crmroute.crm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CRM on 127.0.0.1, plain sockets, that answers every request with its headers and then never
 * finishes the body: it stalls, or trickles one byte at a time. It counts, server side, the
 * connections it accepted and those the client closed.
 */
final class StalledCrmServer implements AutoCloseable {

    private static final int TRICKLED_ENOUGH = 3; // bytes of body a connection gets before it counts as trickling

    private final ServerSocket listener;
    private final ExecutorService connections = Executors.newCachedThreadPool();
    private final ScheduledExecutorService trickle; // null: the body stalls
    private final Map<Socket, AtomicInteger> open = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final Semaphore headersSent = new Semaphore(0);
    private final Semaphore trickling = new Semaphore(0);
    private final Semaphore closed = new Semaphore(0);
    private volatile boolean stopping;

    private StalledCrmServer(Duration trickleEvery) throws IOException {
        listener = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        connections.execute(this::acceptAll);
        if (trickleEvery == null) {
            trickle = null;
        } else {
            trickle = Executors.newSingleThreadScheduledExecutor();
            trickle.scheduleAtFixedRate(this::trickleOneByte, 0, trickleEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Headers, the first byte of a JSON body, then nothing. */
    static StalledCrmServer stalling() throws IOException {
        return new StalledCrmServer(null);
    }

    /** Headers, then one more byte of a body that never ends, {@code every} so often. */
    static StalledCrmServer trickling(Duration every) throws IOException {
        return new StalledCrmServer(every);
    }

    String url(String path) {
        return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    int accepted() {
        return accepted.get();
    }

    int closedByClient() {
        return closedByClient.get();
    }

    /** Waits, at most {@code bound}, until {@code count} connections have had their headers. */
    boolean awaitHeadersSent(int count, Duration bound) throws InterruptedException {
        return headersSent.tryAcquire(count, bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until {@code count} connections have each been sent a few trickled bytes. */
    boolean awaitTrickling(int count, Duration bound) throws InterruptedException {
        return trickling.tryAcquire(count, bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the client has closed {@code count} connections. */
    boolean awaitClosedByClient(int count, Duration bound) throws InterruptedException {
        return closed.tryAcquire(count, bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void acceptAll() {
        while (!stopping) {
            try {
                Socket socket = listener.accept();
                accepted.incrementAndGet();
                connections.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            readHead(in);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            open.put(socket, new AtomicInteger());
            headersSent.release();
            while (in.read() != -1) {
                // the client sends nothing more; read returns -1 when it closes the connection
            }
            clientClosed(socket);
        } catch (SocketException reset) {
            clientClosed(socket);
        } catch (IOException e) {
            // the server is stopping
        }
    }

    private void clientClosed(Socket socket) {
        open.remove(socket);
        if (stopping) return;
        closedByClient.incrementAndGet();
        closed.release();
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b == -1) throw new IOException("closed before the request head ended");
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    private void trickleOneByte() {
        open.forEach((socket, sent) -> {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(' ');
                out.flush();
                if (sent.incrementAndGet() == TRICKLED_ENOUGH) trickling.release();
            } catch (IOException e) {
                // closed by the client: its reader counts it
            }
        });
    }

    @Override
    public void close() throws IOException {
        stopping = true;
        listener.close();
        if (trickle != null) trickle.shutdownNow();
        for (Socket socket : open.keySet()) socket.close();
        connections.shutdownNow();
    }
}
