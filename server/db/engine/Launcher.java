import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.IOException;
import java.net.BindException;
import java.util.List;

/**
 * Accord's embedded database engine: mongo-java-server on 127.0.0.1 (see docs/engine.md).
 *
 * <pre>java -cp classes:lib/* Launcher --port 0 --backend memory|h2 [--file data/accord.h2]</pre>
 *
 * Prints "accord-engine listening 127.0.0.1:PORT" once it accepts connections. It stops when its
 * stdin reaches EOF (the parent holds the other end, so the engine dies with it) or on SIGTERM;
 * both go through the shutdown hook, which closes the backend so the H2 store commits. If the port
 * is taken it prints "accord-engine: port in use 127.0.0.1:PORT" and exits with status 3.
 */
public final class Launcher {

    /** Exit status when the port is taken; server/db/engine.ts turns it into a one-line message. */
    private static final int PORT_IN_USE = 3;

    /** The Node driver under Mongoose 9 refuses servers below wire version 9; the library's enum stops at 8. */
    private static final MongoVersion MONGO_6_0 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(6, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 17;
        }
    };

    public static void main(String[] args) throws IOException {
        int port = 0;
        String backendName = "memory";
        String file = null;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw fail(2, "missing value after " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value);
                case "--backend" -> backendName = value;
                case "--file" -> file = value;
                default -> throw fail(2, "unknown option " + args[i]);
            }
        }

        if (!backendName.equals("memory") && !backendName.equals("h2")) {
            throw fail(2, "unknown backend " + backendName + " (memory or h2)");
        }
        if (backendName.equals("h2") && file == null) {
            throw fail(2, "--backend h2 needs --file PATH");
        }

        MongoBackend backend = null;
        MongoServer server;
        try {
            backend = backendName.equals("h2") ? new H2Backend(file) : new MemoryBackend();
            server = new MongoServer(backend.version(MONGO_6_0));
            server.bind("127.0.0.1", port);
        } catch (Exception e) { // Netty throws the checked BindException without declaring it
            // Exit explicitly: Netty's threads would keep the JVM alive after a failed bind.
            if (backend != null) {
                backend.close();
            }
            if (e instanceof BindException) {
                // An expected situation (another Accord runs), not a fault: one line, no stack trace.
                throw fail(PORT_IN_USE, "port in use 127.0.0.1:" + port);
            }
            e.printStackTrace();
            throw fail(1, "cannot start: " + e);
        }
        // shutdown() stops listening, then closes the backend (H2: commit and close the store).
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "accord-engine-shutdown"));

        System.out.println("accord-engine listening 127.0.0.1:" + server.getLocalAddress().getPort());
        System.out.flush();

        // Nothing is ever sent on stdin: EOF means the parent has gone away.
        while (System.in.read() != -1) {
            // ignore
        }
        System.exit(0);
    }

    /** Reports the error and exits; returns only so that callers can write {@code throw fail(...)}. */
    private static IllegalStateException fail(int status, String message) {
        System.err.println("accord-engine: " + message);
        System.exit(status);
        return new IllegalStateException(message);
    }
}
