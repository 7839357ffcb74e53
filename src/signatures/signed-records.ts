/**
 * The names of signed records that more than one module needs, kept free of imports so the
 * capabilities that sign (cases, therapy, custody) and this one never import each other in a loop.
 */

/** A case step's signatures: record id `<caseId>:<stepKey>`, hash = the step record hash of case-gates. */
export const CASE_STEP_RECORD = 'case_step';
export const caseStepRecordId = (caseId: string, step: string) => `${caseId}:${step}`;
