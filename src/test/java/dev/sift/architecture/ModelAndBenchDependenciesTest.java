package dev.sift.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The training code stays usable without the workflow around it, and benchmarks stay runnable without a
 * database: model depends on data and the top-level classes only, bench on nothing above the pure packages.
 */
class ModelAndBenchDependenciesTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.sift");

    @Test
    void modelImportsNoHigherOrSiblingPackage() {
        noClasses().that().resideInAPackage("dev.sift.model..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sift.importance..", "dev.sift.selection..", "dev.sift.evaluation..",
                        "dev.sift.stage..", "dev.sift.workflow..", "dev.sift.store..", "dev.sift.history..",
                        "dev.sift.schedule..", "dev.sift.bench..", "dev.sift.cli..", "dev.sift.config..")
                .check(MAIN);
    }

    @Test
    void benchImportsNoStageWorkflowStoreOrCli() {
        noClasses().that().resideInAPackage("dev.sift.bench..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sift.stage..", "dev.sift.workflow..", "dev.sift.store..",
                        "dev.sift.history..", "dev.sift.schedule..", "dev.sift.cli..")
                .check(MAIN);
    }
}
