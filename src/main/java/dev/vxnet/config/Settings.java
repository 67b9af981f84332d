package dev.vxnet.config;

import java.util.HashMap;
import java.util.Map;

/**
 * A whole configuration, checked: each section's settings record (as {@link Section#read} builds it), and for
 * each service section whether to deploy it and how many instances it asked for.
 */
public final class Settings {

  private final Map<String, Object> records;
  private final Map<String, Deployment> deployments;

  Settings(Map<String, Object> records, Map<String, Deployment> deployments) {
    this.records = Map.copyOf(records);
    this.deployments = Map.copyOf(deployments);
  }

  /**
   * Whether to deploy a service and its {@code instances} key.
   *
   * @param enabled   the section's {@code enabled} key
   * @param instances the section's {@code instances} key, or {@code null} for {@code node.instances}
   */
  public record Deployment(boolean enabled, Integer instances) {
  }

  @SuppressWarnings("unchecked") // records are stored by section name, each as its section's parser built it
  public <S> S get(Section<S> section) {
    return (S) records.get(section.name());
  }

  /** The deployment keys of a service section ({@link Section#service} or {@link Section#busService}). */
  public Deployment deployment(Section<?> section) {
    return deployments.get(section.name());
  }

  /** These settings with {@code section}'s record replaced (a cross-section check completing one from another). */
  public <S> Settings with(Section<S> section, S record) {
    Map<String, Object> changed = new HashMap<>(records);
    changed.put(section.name(), record);
    return new Settings(changed, deployments);
  }
}
