package billswitch.infra.http;

import billswitch.support.SocketClient;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Connections sending a request body at about 1,100 bytes a second, just above the default minimum data rate (1024):
 * each has sent its head announcing a large body, and a chunk of it every 100 ms until the server closes it.
 */
final class SlowSenders implements AutoCloseable {
    private static final byte[] CHUNK = new byte[110];

    static {
        Arrays.fill(CHUNK, (byte) 'x');
    }

    private final List<Socket> opened = new CopyOnWriteArrayList<>();
    private final List<Socket> sending = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    SlowSenders() {
        trickle.scheduleAtFixedRate(this::send, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Opens up to {@code count} connections from {@code from}, each sending {@code head} (a connection refused at once is not kept). */
    SlowSenders open(String from, int port, int count, Supplier<String> head) {
        for (int i = 0; i < count; i++) {
            try {
                Socket socket = SocketClient.open(from, port);
                socket.getOutputStream().write(head.get().getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                opened.add(socket);
                sending.add(socket);
            } catch (IOException refused) {
                // closed by the server as it opened: that is a limit working
            }
        }
        return this;
    }

    /** The connections opened (some may have been answered or closed since). */
    List<Socket> sockets() {
        return List.copyOf(opened);
    }

    private void send() {
        for (Socket socket : sending) {
            try {
                socket.getOutputStream().write(CHUNK);
                socket.getOutputStream().flush();
            } catch (IOException closed) {
                sending.remove(socket);
            }
        }
    }

    @Override
    public void close() throws IOException {
        trickle.shutdownNow();
        for (Socket socket : opened) {
            socket.close();
        }
    }
}
