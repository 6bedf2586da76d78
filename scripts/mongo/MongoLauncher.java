import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Local stand-in for mongod, started by scripts/services/mongo.ts.
 *
 * <p>Usage: {@code java -cp '<lib>/*' MongoLauncher.java --port N [--h2 FILE]}. With {@code --port 0} the OS picks the
 * port, which avoids the race between probing a free port and binding it; the port actually bound is reported in the
 * single {@code READY <port>} line on stdout, which is the only thing the parent waits for.
 *
 * <p>The process lives exactly as long as its stdin: the parent keeps the pipe open and never writes to it, so when the
 * parent exits for any reason (even SIGKILL) the kernel closes the pipe, we read EOF and shut down. That is what
 * guarantees no orphaned JVM is ever left holding a port or an H2 file lock.
 */
public final class MongoLauncher {
    private MongoLauncher() {
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        String h2File = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(requireValue(args, ++i, "--port"));
                case "--h2" -> h2File = requireValue(args, ++i, "--h2");
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (port < 0 || port > 65535) {
            usage("--port N is required (0 lets the OS choose)");
        }

        MongoBackend backend;
        H2Backend h2 = null;
        if (h2File != null) {
            Path parent = Path.of(h2File).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            h2 = new H2Backend(h2File);
            backend = h2;
        } else {
            backend = new MemoryBackend();
        }
        // The Node driver 6.x refuses servers older than wire version 8 (MongoDB 4.2); the default here is 3.6.
        backend.version(ServerVersion.MONGO_5_0);

        MongoServer server = new MongoServer(backend);
        AtomicBoolean stopped = new AtomicBoolean(false);
        H2Backend persistent = h2;
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                // Closing alone was seen to lose the last write now and then (about 1 restart in 4): commit it first.
                if (persistent != null) {
                    persistent.commit();
                }
                // shutdownNow closes the backend too, which for H2 commits and closes the MVStore file cleanly.
                server.shutdownNow();
            }
        };
        // SIGTERM/SIGINT still flush H2 instead of leaving the store to its last autocommit.
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "mongo-shutdown"));

        server.bind(new InetSocketAddress("127.0.0.1", port));
        int boundPort = server.getLocalAddress().getPort();

        Thread stdinWatch = new Thread(() -> {
            drain(System.in);
            stop.run();
            System.exit(0);
        }, "stdin-eof-watch");
        stdinWatch.setDaemon(true);
        stdinWatch.start();

        System.out.println("READY " + boundPort);
        System.out.flush();
    }

    private static void drain(InputStream in) {
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // Input is ignored; only its end matters.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone, same as EOF.
        }
    }

    private static String requireValue(String[] args, int i, String flag) {
        if (i >= args.length) {
            usage(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("MongoLauncher: " + problem);
        System.err.println("usage: java -cp '<lib>/*' MongoLauncher.java --port N [--h2 FILE]");
        System.exit(2);
    }
}
