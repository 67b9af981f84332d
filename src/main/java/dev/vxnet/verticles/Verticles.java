package dev.vxnet.verticles;

import dev.vxnet.config.Describe;
import dev.vxnet.config.StartupException;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.spi.VerticleFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Deploys the verticles of the {@code verticles} section in two steps, so that a bad one stops the start before any
 * port is bound: {@link #prepare} finds each name's verticle factory as Vert.x does (a {@code prefix:}, else the
 * suffix after the last dot, else Java), checks that the script or class is there, and has the factory compile the
 * script or load the class; {@link #deploy} then deploys it. Failures are one line naming the element
 * ({@code verticles[2].name: ...}), never a stack trace.
 */
public final class Verticles {

  /** Prefix of Vert.x's own factory for compiled classes (Java, Kotlin), used when no other factory matches. */
  private static final String JAVA = "java";
  private static final String GROOVY_SUFFIX = ".groovy";

  private Verticles() {
  }

  /** A verticle whose script compiled or whose class loaded: each call of {@code instances} makes one instance. */
  public record Prepared(VerticleSpec spec, Supplier<Deployable> instances) {
  }

  /**
   * Compiles the script or loads the class of {@code spec} (off the event loop, as the factories do).
   *
   * @return the prepared verticle, or a {@link StartupException} such as
   *   {@code verticles[0].name: groovy:x.groovy: /srv/x.groovy: 3: Unexpected input: '(' @ line 3, column 9.}
   */
  public static Future<Prepared> prepare(Vertx vertx, VerticleSpec spec) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
      ? Thread.currentThread().getContextClassLoader() : Verticles.class.getClassLoader();
    String name = spec.name();
    return vertx.executeBlocking(() -> factory(vertx, name)).compose(factory -> {
      if (factory.isEmpty()) {
        return vertx.executeBlocking(() -> compiledClass(VerticleFactory.removePrefix(name), loader));
      }
      if (isScript(name)) {
        missingScript(script(name), loader).ifPresent(problem -> {
          throw new StartupException(problem);
        });
      }
      Promise<Callable<? extends Deployable>> created = Promise.promise();
      factory.get().createVerticle2(name, loader, created);
      return created.future();
    }).<Prepared>map(callable -> new Prepared(spec, () -> {
      try {
        return callable.call();
      } catch (Exception e) {
        throw new IllegalStateException(describe(name, e), e);
      }
    })).recover(failure -> Future.failedFuture(new StartupException(spec.label() + ".name: " + name + ": " + describe(name, failure))));
  }

  /**
   * Deploys {@code instances} instances with the element's own config.
   *
   * @return the deployment id, or a {@link StartupException} naming the element and why it did not start (its
   *   {@code start} failed, e.g. on a bad {@code config} key)
   */
  public static Future<String> deploy(Vertx vertx, Prepared verticle, int instances) {
    VerticleSpec spec = verticle.spec();
    return vertx.deployVerticle(verticle.instances(), new DeploymentOptions().setInstances(instances).setConfig(spec.config()))
      .recover(failure -> Future.failedFuture(new StartupException(spec.label() + " (" + spec.name() + "): " + describe(spec.name(), failure))));
  }

  /**
   * Why verticle {@code name} failed, in one line: a missing script or class said plainly, a script's compile error as
   * the compiler's first line ({@code file: line: message @ line L, column C.}), anything else by its first line.
   */
  public static String describe(String name, Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof StartupException) {
        return cause.getMessage(); // already one line naming what is wrong (a config key, a port), maybe wrapped by Groovy
      }
      if (cause instanceof ClassNotFoundException) {
        return "no class " + cause.getMessage() + " on the class path";
      }
    }
    String message = Describe.failure(failure);
    if (!message.startsWith("startup failed") && failure instanceof IllegalStateException && isScript(name)) {
      Optional<String> missing = missingScript(script(name), Verticles.class.getClassLoader());
      if (missing.isPresent()) {
        return missing.get();
      }
    }
    return message.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.equals("startup failed:"))
      .findFirst().orElse(failure.getClass().getSimpleName());
  }

  /**
   * The factory of another language for {@code name}, by {@code VerticleManager}'s rules (a {@code prefix:}, else the
   * suffix after the last dot), or empty for a compiled class (no factory matches, or the prefix {@code java:}).
   */
  static Optional<VerticleFactory> factory(Vertx vertx, String name) {
    int colon = name.indexOf(':');
    String prefix = colon > 0 ? name.substring(0, colon) : suffix(name);
    Optional<VerticleFactory> factory = vertx.verticleFactories().stream().filter(f -> f.prefix().equals(prefix))
      .min((a, b) -> Integer.compare(a.order(), b.order()));
    if (factory.isEmpty() && colon > 0 && !prefix.equals(JAVA)) {
      throw new StartupException("no verticle factory for the prefix " + prefix + ": (known: "
        + String.join(", ", vertx.verticleFactories().stream().map(VerticleFactory::prefix).sorted().toList()) + ", java)");
    }
    return factory;
  }

  /** A compiled verticle class (Java, Kotlin): instances from its public no-argument constructor, as Vert.x makes them. */
  private static Callable<Deployable> compiledClass(String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new StartupException("no class " + className + " on the class path");
    }
    if (!Deployable.class.isAssignableFrom(type)) {
      throw new StartupException(className + " is not a verticle (neither io.vertx.core.Deployable nor io.vertx.core.Verticle)");
    }
    if (Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
      throw new StartupException(className + " is abstract");
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new StartupException(className + " has no public no-argument constructor");
    }
    return () -> (Deployable) constructor.newInstance();
  }

  /** Where the Groovy factory looks: the class path, then the path relative to the working directory. */
  private static Optional<String> missingScript(String path, ClassLoader loader) {
    if (loader.getResource(path) != null) {
      return Optional.empty();
    }
    Path file = Path.of(path).isAbsolute() ? Path.of(path) : Path.of(System.getProperty("user.dir"), path);
    if (Files.isRegularFile(file)) {
      return Files.isReadable(file) ? Optional.empty() : Optional.of("script " + file + " is not readable");
    }
    return Optional.of("no script at " + file + " (nor " + path + " on the class path)");
  }

  private static boolean isScript(String name) {
    return script(name).endsWith(GROOVY_SUFFIX);
  }

  private static String script(String name) {
    return VerticleFactory.removePrefix(name);
  }

  private static String suffix(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1);
  }
}
