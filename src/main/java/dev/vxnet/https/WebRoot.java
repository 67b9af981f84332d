package dev.vxnet.https;

import dev.vxnet.config.StartupException;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The directory static files are served from, as a real path (symbolic links resolved) so that every file served
 * can be checked to lie inside it. Either the configured {@code web_root}, or the page built into the jar
 * ({@code webroot/} on the classpath), copied once per node into a temporary directory because {@code sendfile}
 * needs real files. Resolving touches the file system: call it off the event loop.
 */
record WebRoot(Path path, String origin) implements Shareable {

  static final String BUNDLED = "webroot";
  private static final String SHARED = "vxnet.https.webroot";

  /** {@code configured}: the section's {@code web_root}, or {@code null} for the page built into the jar. */
  static WebRoot resolve(Vertx vertx, String section, String configured) {
    if (configured == null) {
      return vertx.sharedData().<String, WebRoot>getLocalMap(SHARED).computeIfAbsent(BUNDLED, k -> extractBundled());
    }
    Path path = Path.of(configured);
    if (!Files.isDirectory(path)) {
      throw new StartupException(section + ".web_root: " + configured + ": " + (Files.exists(path) ? "not a directory" : "no such directory"));
    }
    if (!Files.isReadable(path) || !Files.isExecutable(path)) {
      throw new StartupException(section + ".web_root: " + configured + ": not readable (permission denied)");
    }
    try {
      return new WebRoot(path.toRealPath(), section + ".web_root " + configured);
    } catch (IOException e) {
      throw new StartupException(section + ".web_root: " + configured + ": " + e.getMessage());
    }
  }

  private static WebRoot extractBundled() {
    URL url = WebRoot.class.getClassLoader().getResource(BUNDLED);
    if (url == null) {
      throw new StartupException("https: the built-in web root (" + BUNDLED + "/ on the classpath) is missing from the jar");
    }
    try {
      Path target = Files.createTempDirectory("vxnet-webroot-");
      target.toFile().deleteOnExit();
      if ("jar".equals(url.getProtocol())) {
        copyFromJar((JarURLConnection) url.openConnection(), target);
      } else {
        copyFromDirectory(Path.of(url.toURI()), target);
      }
      return new WebRoot(target.toRealPath(), "the page built into the jar");
    } catch (IOException | URISyntaxException | UncheckedIOException e) {
      throw new StartupException("https: cannot unpack the built-in web root: " + e.getMessage());
    }
  }

  private static void copyFromJar(JarURLConnection connection, Path target) throws IOException {
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        if (entry.getName().startsWith(BUNDLED + "/") && !entry.isDirectory()) {
          try (InputStream in = jar.getInputStream(entry)) {
            copy(in, target, entry.getName().substring(BUNDLED.length() + 1));
          }
        }
      }
    }
  }

  private static void copyFromDirectory(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        try (InputStream in = Files.newInputStream(file)) {
          copy(in, target, source.relativize(file).toString());
        }
      }
    }
  }

  private static void copy(InputStream in, Path root, String relative) throws IOException {
    Path file = root.resolve(relative).normalize();
    if (!file.startsWith(root)) {
      return; // a jar entry such as webroot/../x would land outside
    }
    Path dir = root;
    for (Path part : root.relativize(file.getParent())) {
      dir = dir.resolve(part);
      if (Files.notExists(dir)) {
        Files.createDirectory(dir);
        dir.toFile().deleteOnExit(); // before its files: deleteOnExit deletes in reverse order
      }
    }
    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    file.toFile().deleteOnExit();
  }
}
