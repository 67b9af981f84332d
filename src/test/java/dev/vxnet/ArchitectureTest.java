package dev.vxnet;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import dev.vxnet.tcp.ImportsAnotherService;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package rules of docs/architecture.md, checked on the compiled main classes: services meet only on the event
 * bus, so no service package imports another; a service's core does not import its HTTP routes; shared packages import
 * no service; nothing imports the root package (the launcher and the registry of services); no package cycles. A
 * failure names every offending class and the line of the dependency.
 */
class ArchitectureTest {

  private static final String ROOT = "dev.vxnet";

  /**
   * The service packages (each with its subpackages: {@code dns} and its core {@code dns.resolver} are one service).
   * A new service joins here with one line.
   */
  static final List<String> SERVICES = List.of(
    "tcp",
    "udp",
    "chat",
    "dns",
    "fetch",
    "https",
    "bridge",
    "probe",
    "fixture",
    "dashboard",
    "load"); // not a service but the measuring client (docs/load.md): apart from every service all the same

  /** Shared packages: services may import them; they import no service. */
  static final List<String> SHARED = List.of("bus", "config", "net", "web", "cluster", "logging", "metrics", "health",
    "verticles");

  private static final JavaClasses MAIN = new ClassFileImporter()
    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
    .importPackages(ROOT);

  /** No class of one service depends on a class of another. */
  static ArchRule servicesDoNotImportEachOther() {
    return all("no service imports another (services " + SERVICES + " meet only on the event bus)", SERVICES.stream().map(service -> (ArchRule) noClasses()
      .that().resideInAPackage(pkg(service) + "..")
      .should().dependOnClassesThat().resideInAnyPackage(SERVICES.stream().filter(other -> !other.equals(service))
        .map(other -> pkg(other) + "..").toArray(String[]::new))
      .allowEmptyShould(true)).toList());
  }

  /** A service's subpackages (its core: dns.resolver, fetch.client, bridge.tcp) do not depend on its routes package. */
  static ArchRule coresDoNotImportTheirRoutesRule() {
    return all("no service imports another (services " + SERVICES + " meet only on the event bus)", SERVICES.stream().map(service -> (ArchRule) noClasses()
      .that().resideInAPackage(pkg(service) + "..").and().resideOutsideOfPackage(pkg(service))
      .should().dependOnClassesThat().resideInAPackage(pkg(service))
      .allowEmptyShould(true)).toList()); // a service without a core subpackage has nothing to check
  }

  static ArchRule sharedPackagesImportNoService() {
    return noClasses()
      .that().resideInAnyPackage(SHARED.stream().map(shared -> pkg(shared) + "..").toArray(String[]::new))
      .should().dependOnClassesThat().resideInAnyPackage(SERVICES.stream().map(service -> pkg(service) + "..").toArray(String[]::new))
      .as("shared packages " + SHARED + " import no service package");
  }

  static ArchRule nothingImportsTheRoot() {
    return noClasses().that().resideOutsideOfPackage(ROOT)
      .should().dependOnClassesThat().resideInAPackage(ROOT)
      .as("only the root package " + ROOT + " (launcher, MainVerticle, Services) names the services");
  }

  static ArchRule noPackageCycles() {
    return slices().matching(ROOT + ".(**)").should().beFreeOfCycles().as("no package cycles");
  }

  @Test
  void servicesMeetOnlyOnTheEventBus() {
    servicesDoNotImportEachOther().check(MAIN);
  }

  @Test
  void coresDoNotImportTheirRoutes() {
    coresDoNotImportTheirRoutesRule().check(MAIN);
  }

  @Test
  void sharedPackagesStayShared() {
    sharedPackagesImportNoService().check(MAIN);
    nothingImportsTheRoot().check(MAIN);
  }

  @Test
  void packagesHaveNoCycles() {
    noPackageCycles().check(MAIN);
  }

  @Test
  void everyServicePackageIsListed() {
    for (String service : SERVICES) {
      assertTrue(MAIN.containPackage(pkg(service)), "no package " + pkg(service) + ": remove it from SERVICES");
    }
  }

  /** The rules can fail, and then name the class and the dependency: a test class of tcp that imports udp. */
  @Test
  void aViolationNamesTheOffendingClass() {
    JavaClasses offending = new ClassFileImporter().importClasses(ImportsAnotherService.class);
    AssertionError failure = assertThrows(AssertionError.class, () -> servicesDoNotImportEachOther().check(offending));
    assertTrue(failure.getMessage().contains("no service imports another"), failure.getMessage());
    assertTrue(failure.getMessage().contains(ImportsAnotherService.class.getName() + ".udpVerticle()")
      && failure.getMessage().contains("dev.vxnet.udp.UdpEchoVerticle"), failure.getMessage());
  }

  private static String pkg(String name) {
    return ROOT + "." + name;
  }

  private static ArchRule all(String description, List<ArchRule> rules) {
    CompositeArchRule composite = CompositeArchRule.of(rules.get(0));
    for (ArchRule rule : rules.subList(1, rules.size())) {
      composite = composite.and(rule);
    }
    return composite.as(description);
  }
}
