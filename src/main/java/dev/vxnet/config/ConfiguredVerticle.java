package dev.vxnet.config;

import io.vertx.core.VerticleBase;

/**
 * A verticle configured by its section's settings record: given by MainVerticle (checked once, with the whole
 * configuration), or, for a verticle deployed on its own by class name, read from its deployment config.
 *
 * @param <S> the settings record of the service's section
 */
public abstract class ConfiguredVerticle<S> extends VerticleBase {

  private final Section<S> section;
  private final S given;

  /** {@code settings} may be {@code null}: then {@link #settings()} reads the deployment config. */
  protected ConfiguredVerticle(Section<S> section, S settings) {
    this.section = section;
    this.given = settings;
  }

  /**
   * The settings: as given, or read from {@code config()} (call from {@code start()}).
   *
   * @throws ConfigException listing every problem of the deployment config
   */
  protected final S settings() {
    return given != null ? given : section.read(config());
  }
}
