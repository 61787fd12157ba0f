package dev.sift.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One step of the pipeline. Stages are re-runnable: running one again replaces what it wrote before. */
public interface Stage {
    /** Name stored in stage_run. */
    String name();

    /** Does the work and returns the outputs later stages (and resumed runs) read. */
    ObjectNode run(StageContext ctx) throws Exception;
}
