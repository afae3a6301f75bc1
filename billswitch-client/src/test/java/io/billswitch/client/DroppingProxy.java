package io.billswitch.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the server that loses the answer of its first connection: the request reaches the
 * server, which handles it, and the connection is closed as the answer comes back. The caller saw a network
 * error and cannot know whether its payment was taken. Later connections pass both ways.
 */
final class DroppingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int backendPort;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean droppedAnAnswer;

    DroppingProxy(int backendPort) throws IOException {
        this.backendPort = backendPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** True once the server answered on the first connection and that answer was thrown away. */
    boolean droppedAnAnswer() {
        return droppedAnAnswer;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                boolean drop = connections.incrementAndGet() == 1;
                Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
                Thread.ofPlatform().daemon().start(() -> pump(client, backend, false));
                Thread.ofPlatform().daemon().start(() -> pump(backend, client, drop));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean dropAnswer) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (dropAnswer) {
                    droppedAnAnswer = true;
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
