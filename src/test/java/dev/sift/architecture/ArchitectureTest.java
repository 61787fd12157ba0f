package dev.sift.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sift.importance.ImportanceMethod;
import dev.sift.importance.ImportanceMethods;
import dev.sift.selection.SelectionPolicies;
import dev.sift.selection.SelectionPolicy;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package arrows of DESIGN.md section 3, stated so they stay true. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sift");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.sift.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheEntryPointAndCommandsUseCli() {
        noClasses().that().resideOutsideOfPackage("dev.sift.cli..").should().dependOnClassesThat()
                .resideInAPackage("dev.sift.cli..").check(classes);
    }

    @Test
    void pureComputationTouchesNoStoreWorkflowStageOrCli() {
        noClasses().that().resideInAnyPackage("dev.sift.importance..", "dev.sift.selection..",
                "dev.sift.evaluation..", "dev.sift.recommend..").should().dependOnClassesThat().resideInAnyPackage("dev.sift.store..",
                        "dev.sift.workflow..", "dev.sift.stage..", "dev.sift.cli..", "dev.sift.history..")
                .check(classes);
    }

    @Test
    void domainPackagesTakeTheirOwnOptionsNotTheWorkflowSpec() {
        noClasses().that().resideInAnyPackage("dev.sift.data..", "dev.sift.model..", "dev.sift.importance..",
                "dev.sift.selection..", "dev.sift.evaluation..", "dev.sift.recommend..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sift.workflow..", "dev.sift.stage..").check(classes);
    }

    @Test
    void modelIsBelowImportanceAndStore() {
        noClasses().that().resideInAPackage("dev.sift.model..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sift.importance..", "dev.sift.store..").check(classes);
    }

    /** Schedules sit beside the engine: they start and resume runs through it, and only commands use them. */
    @Test
    void schedulesUseTheEngineAndStoreAndOnlyCommandsUseSchedules() {
        noClasses().that().resideInAPackage("dev.sift.schedule..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sift.stage..", "dev.sift.history..", "dev.sift.bench..").check(classes);
        noClasses().that().resideOutsideOfPackages("dev.sift.schedule..", "dev.sift.cli..").should()
                .dependOnClassesThat().resideInAPackage("dev.sift.schedule..").check(classes);
    }

    /** AWS Batch execution records and follows runs through the engine and store; commands and schedules use it. */
    @Test
    void batchUsesTheEngineAndStoreAndOnlyCommandsAndSchedulesUseIt() {
        noClasses().that().resideInAPackage("dev.sift.batch..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sift.stage..", "dev.sift.history..", "dev.sift.bench..",
                        "dev.sift.schedule..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("dev.sift.batch..", "dev.sift.schedule..", "dev.sift.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.sift.batch..").check(classes);
    }

    @Test
    void theEngineNamesNoStage() {
        noClasses().that().resideInAPackage("dev.sift.workflow..").should().dependOnClassesThat()
                .resideInAPackage("dev.sift.stage..").check(classes);
    }

    /** Every concrete selection policy class is in its registry. */
    @Test
    void everySelectionPolicyClassIsRegistered() {
        Set<String> declared = classes.stream()
                .filter(c -> c.isAssignableTo(SelectionPolicy.class) && !c.isInterface()
                        && !c.getModifiers().contains(JavaModifier.ABSTRACT))
                .map(JavaClass::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> registered = SelectionPolicies.all().stream().map(m -> m.getClass().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, registered);
    }

    /** Every concrete method class is in the registry, so registering is part of writing the class. */
    @Test
    void everyImportanceMethodClassIsRegistered() {
        Set<String> declared = classes.stream()
                .filter(c -> c.isAssignableTo(ImportanceMethod.class) && !c.isInterface()
                        && !c.getModifiers().contains(JavaModifier.ABSTRACT))
                .map(JavaClass::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> registered = ImportanceMethods.all().stream().map(m -> m.getClass().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, registered);
    }
}
