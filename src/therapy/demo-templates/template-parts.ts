import type { Role } from '../../platform/access/roles.ts';
import type { TherapyTemplateInput } from '../template-schema.ts';

// Building blocks the demo templates share, so each template reads as its own journey.
type StepInput = TherapyTemplateInput['stages'][number]['steps'][number];
type ExceptionInput = NonNullable<StepInput['exceptions']>[number];

export function withdrawalOrDeath(raisedBy: Role[]): ExceptionInput[] {
  return [
    {
      code: 'withdrawal',
      reasonCodes: ['consent_withdrawn', 'patient_choice', 'physician_decision'],
      raisedBy,
      branches: [{ key: 'close_case', title: 'Close the case', kind: 'close', decidedBy: ['case_manager'] }],
    },
    {
      code: 'death',
      reasonCodes: ['disease_progression', 'treatment_related', 'other_cause'],
      raisedBy,
      branches: [{ key: 'close_case', title: 'Close the case', kind: 'close', decidedBy: ['case_manager'] }],
    },
  ];
}

export function patientIneligible(raisedBy: Role[]): ExceptionInput {
  return {
    code: 'patient_ineligible',
    reasonCodes: ['active_infection', 'organ_function', 'disease_progression', 'insurance_denied'],
    raisedBy,
    branches: [
      {
        key: 'hold',
        title: 'Hold until the patient is eligible again',
        kind: 'hold',
        decidedBy: ['case_manager'],
      },
      { key: 'cancel', title: 'Cancel the therapy', kind: 'cancel', decidedBy: ['case_manager'] },
    ],
  };
}

/** The product is quarantined until QA decides: release, re-manufacture or re-collect. */
export function temperatureExcursion(
  raisedBy: Role[],
  remanufactureStep: string | null,
  recollectStep: string,
) {
  const branches: ExceptionInput['branches'] = [
    {
      key: 'release',
      title: 'QA accepts the product (excursion within stability data)',
      kind: 'resume',
      decidedBy: ['qa'],
    },
    {
      key: 'recollection',
      title: 'Discard and re-collect',
      kind: 'go_to_step',
      toStep: recollectStep,
      decidedBy: ['qa'],
    },
  ];
  if (remanufactureStep)
    branches.push({
      key: 'remanufacture',
      title: 'Discard and re-manufacture from retained material',
      kind: 'go_to_step',
      toStep: remanufactureStep,
      decidedBy: ['qa'],
    });
  return {
    code: 'temperature_excursion',
    reasonCodes: ['above_range', 'below_range', 'logger_missing'],
    raisedBy,
    quarantine: true,
    branches,
  } satisfies ExceptionInput;
}

export function outOfSpecification(
  raisedBy: Role[],
  manufactureStep: string,
  collectStep: string,
): ExceptionInput {
  return {
    code: 'product_out_of_specification',
    reasonCodes: ['viability_low', 'dose_low', 'sterility_failure', 'identity_failure'],
    raisedBy,
    branches: [
      {
        key: 'remanufacture',
        title: 'Re-manufacture',
        kind: 'go_to_step',
        toStep: manufactureStep,
        decidedBy: ['qa'],
      },
      {
        key: 'recollection',
        title: 'Re-collect from the patient',
        kind: 'go_to_step',
        toStep: collectStep,
        decidedBy: ['qa'],
      },
    ],
  };
}

export function followUpVisit(key: string, title: string, dueDays: number): StepInput {
  return {
    key,
    title,
    partnerType: 'treatment_centre',
    role: 'provider',
    tasks: [
      {
        key: 'assessment',
        title: 'Record the follow-up assessment',
        fields: [
          { key: 'visit_date', label: 'Visit date', type: 'date' },
          {
            key: 'crs_grade',
            label: 'CRS grade (ASTCT)',
            type: 'choice',
            options: ['0', '1', '2', '3', '4'],
          },
          {
            key: 'icans_grade',
            label: 'ICANS grade (ASTCT)',
            type: 'choice',
            options: ['0', '1', '2', '3', '4'],
          },
          { key: 'notes', label: 'Notes', type: 'text', required: false, maxLength: 2000 },
        ],
      },
    ],
    due: {
      after: { amount: dueDays, unit: 'days' },
      escalations: [{ toRole: 'case_manager', after: 'P1D', repeatEvery: 'P2D', maxRepeats: 3 }],
    },
    exceptions: withdrawalOrDeath(['provider', 'case_manager']),
  };
}
