package org.nnft.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layout is the pipeline: syntax -> check -> runtime, with every feature in its own package
 * that registers its built-ins, so these rules cannot rot: no package cycles; the checker knows no
 * runtime; the runtime knows no feature; the engine and the numeric core know no language.
 */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.nnft");

  /** The features: each is a package with one library class. */
  static final String[] FEATURES = {"org.nnft.nets..", "org.nnft.sampling..", "org.nnft.kernels..", "org.nnft.actions..",
      "org.nnft.algebra..", "org.nnft.gauge..", "org.nnft.ode..", "org.nnft.reweight..", "org.nnft.mcmc..", "org.nnft.polytope.."};

  @Test void noPackageCycles() {
    slices().matching("org.nnft.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test void theRuntimeImportsNoFeature() {
    noClasses().that().resideInAPackage("org.nnft.runtime..").should().dependOnClassesThat().resideInAnyPackage(FEATURES).check(CLASSES);
  }

  @Test void theCheckerKnowsNoRuntime() {
    noClasses().that().resideInAPackage("org.nnft.check..").should().dependOnClassesThat()
        .resideInAnyPackage("org.nnft.runtime..", "org.nnft.model..", "org.nnft.nets..").check(CLASSES);
  }

  @Test void theSyntaxKnowsOnlyItself() {
    noClasses().that().resideInAPackage("org.nnft.syntax..").should().dependOnClassesThat()
        .resideInAnyPackage("org.nnft.check..", "org.nnft.runtime..", "org.nnft.model..", "org.nnft.nets..", "org.nnft.ensemble..").check(CLASSES);
  }

  /** Jupyter's protocol library stays in the notebook front end, which only the command line starts. */
  @Test void onlyTheNotebookKnowsJupyter() {
    noClasses().that().resideOutsideOfPackage("org.nnft.notebook..").should().dependOnClassesThat().resideInAPackage("org.dflib..").check(CLASSES);
    noClasses().that().resideOutsideOfPackages("org.nnft.notebook..", "org.nnft.cli..").should().dependOnClassesThat().resideInAPackage("org.nnft.notebook..").check(CLASSES);
  }

  @Test void theEngineAndTheNumericCoreKnowNoLanguage() {
    noClasses().that().resideInAnyPackage("org.nnft.ensemble..", "org.nnft.numeric..", "org.nnft.model..").should().dependOnClassesThat()
        .resideInAnyPackage("org.nnft.runtime..", "org.nnft.check..", "org.nnft.nets..", "org.nnft.symbolic..").check(CLASSES);
  }
}
